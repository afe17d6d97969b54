// Arrow keys move across a risk matrix in two dimensions: up and down between probability
// rows, left and right between consequence columns. On the risk form the radio button of the
// cell reached is chosen, as arrow keys do in any group of radio buttons; on the risk picture
// the focus moves to the next cell that holds risks. Listens on the document, so a matrix that
// htmx puts in place later works too.
(function () {
  "use strict";
  var STEPS = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

  function control(cell) {
    return cell.querySelector("input[type=radio], a[href]");
  }

  document.addEventListener("keydown", function (event) {
    var step = STEPS[event.key];
    if (!step || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var cell = event.target.closest ? event.target.closest("table.matrix td") : null;
    if (!cell || control(cell) !== event.target) {
      return;
    }
    event.preventDefault();
    var rows = Array.prototype.slice.call(cell.closest("tbody").rows);
    var row = rows.indexOf(cell.parentElement) + step[0];
    var column = cell.cellIndex + step[1];
    // Column 0 holds the row's label; the cells start at 1.
    while (row >= 0 && row < rows.length && column >= 1 && column < rows[row].cells.length) {
      var next = control(rows[row].cells[column]);
      if (next) {
        next.focus();
        if (next.type === "radio" && !next.checked) {
          next.checked = true;
          next.dispatchEvent(new Event("change", { bubbles: true }));
        }
        return;
      }
      row += step[0];
      column += step[1];
    }
  });
})();
