// The "Go back" button of the error pages: shown only where there is a page to go back to.
document.querySelectorAll("[data-go-back]").forEach((button) => {
  if (window.history.length < 2) return;
  button.className = "button button--secondary";
  button.hidden = false;
  button.addEventListener("click", () => window.history.back());
});
