"""An axe-core scan of every main page, as each person who uses it sees it: no serious or
critical violation. A page whose URL name does not resolve, or that answers 404, fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from internkontroll.audits.models import AuditReport
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.risks.models import OPEN_PROGRESS, Action, Risk
from internkontroll.tests.browser.helpers import sn_plan

BLOCKING = ("critical", "serious")


@dataclass(frozen=True)
class Screen:
    persona: str | None  # None: not logged in
    name: str
    url: Callable[[], str]  # raises NoReverseMatch when the page's URL name is gone
    then: Callable[[Any], None] | None = None  # what the user does before the scan
    status: int = 200

    def __str__(self) -> str:
        return f"{self.persona or 'anonymous'}: {self.name}"


def assigned_action() -> Action:
    action = Action.objects.filter(assignee__username="ansvarig", status__in=OPEN_PROGRESS).first()
    assert action is not None, "the demo data has changed"
    return action


def assessed_risk() -> Risk:
    risks = sn_plan().risks.filter(actions__isnull=False, control_activities__isnull=False)
    risk = risks.order_by("id").first()
    assert risk is not None, "the demo data has changed"
    return risk


def audit_report() -> AuditReport:
    report = AuditReport.objects.order_by("id").first()
    assert report is not None, "the demo data has changed"
    return report


def submit_empty(page: Any) -> None:
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()


def send_proposal(page: Any) -> None:
    page.locator("#id_title").fill("Förslag i tillgänglighetstestet")
    page.locator("#id_motivation").fill("Allvarlig risk.")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()


def show_the_cell_map(page: Any) -> None:
    page.locator("#id_use_cells").check()
    expect(page.locator("#id_cell_1_1")).to_be_visible()


def save_matrix_without_a_level_name(page: Any) -> None:
    page.locator("#id_level_1_name").fill("")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()


def choose_first_cell(page: Any) -> None:
    page.locator("table.matrix a").first.click()
    expect(page.locator('table.matrix a[aria-current="true"]')).to_have_count(1)


def url(name: str, obj: Callable[[], Any] | None = None, query: Any = "") -> Callable[[], str]:
    """The page's address, worked out when the test runs (the demo data is loaded by then)."""

    def address() -> str:
        path = reverse(name, args=[obj().pk] if obj else [])
        return f"{path}?{query() if callable(query) else query}" if query else path

    return address


def sn_deviation() -> FollowUp:
    # The newest plan's, or last year's early in the year: the demo holds what is reported by today.
    found = FollowUp.objects.filter(
        result="deviation", control_activity__risk__plan__unit__external_id="sn"
    ).order_by("-control_activity__risk__plan__year", "id")
    follow_up = found.first()
    assert follow_up is not None, "the demo data has changed"
    return follow_up


def sn_activity() -> ControlActivity:
    return sn_deviation().control_activity


def first_period() -> Period:
    return Period.objects.filter(organisation__name="Exempelkommun").order_by("position")[0]


def create_token_on(page: Any) -> None:
    page.get_by_label("Namn").fill("Power BI")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()


def risk_of_assigned_action() -> Risk:
    return assigned_action().risk


SCREENS = [
    Screen(None, "login", url("accounts:login")),
    Screen(None, "login with an error", url("accounts:login"), then=submit_empty),
    Screen("ansvarig", "my tasks", url("followups:mine")),
    Screen("samordnare", "follow-up board", url("followups:board")),
    Screen(
        "samordnare", "follow-up board, not reported", url("followups:board", query="show=missing")
    ),
    Screen("ansvarig", "reminders by e-mail", url("reminders:preferences")),
    Screen("admin", "reporting deadline form", url("organisation:period_edit", first_period)),
    Screen("admin", "reporting period form", url("organisation:period_change", first_period)),
    Screen("ansvarig", "follow-up form", url("followups:report_action", assigned_action)),
    Screen(
        "ansvarig",
        "follow-up form with errors",
        url("followups:report_action", assigned_action),
        then=submit_empty,
    ),
    Screen("ansvarig", "risk page", url("risks:detail", risk_of_assigned_action)),
    Screen("lasare", "risk picture", url("risks:overview")),
    Screen("lasare", "risk picture, one cell", url("risks:overview"), then=choose_first_cell),
    Screen("lasare", "risk page", url("risks:detail", assessed_risk)),
    Screen("lasare", "internal control plan", url("plans:detail", sn_plan)),
    Screen("lasare", "audits", url("audits:index")),
    Screen("lasare", "audit report", url("audits:detail", audit_report)),
    Screen("lasare", "all committees", url("organisation:overview")),
    Screen("lasare", "search", url("search:results", query="q=familjehem")),
    Screen("lasare", "page not found", lambda: "/risker/999999/", status=404),
    Screen("revisor", "audit report", url("audits:detail", audit_report)),
    Screen("revisor", "audit trail", url("trail:log")),
    Screen("samordnare", "new risk", url("risks:create", query=lambda: f"plan={sn_plan().pk}")),
    Screen(
        "samordnare",
        "new risk with errors",
        url("risks:create", query=lambda: f"plan={sn_plan().pk}"),
        then=submit_empty,
    ),
    Screen("samordnare", "new action", url("risks:action_create", assessed_risk)),
    Screen("samordnare", "new control activity", url("controls:create", assessed_risk)),
    Screen("samordnare", "plan with the adoption form", url("plans:detail", sn_plan)),
    Screen("samordnare", "annual assessment form", url("plans:assessment", sn_plan)),
    Screen("samordnare", "upload a workbook", url("workbooks:upload", sn_plan)),
    Screen(
        "samordnare",
        "upload a workbook with errors",
        url("workbooks:upload", sn_plan),
        then=submit_empty,
    ),
    Screen("samordnare", "next year's plan (rollover)", url("plans:rollover", sn_plan)),
    Screen("samordnare", "new internal control plan", url("plans:create")),
    Screen(
        "samordnare",
        "new internal control plan for a year that has one",
        url("plans:create", query=lambda: f"unit={sn_plan().unit_id}&year={sn_plan().year}"),
        then=submit_empty,
    ),
    Screen("admin", "organisation settings", url("organisation:settings")),
    Screen("lasare", "API tokens", url("api_pages:tokens")),
    Screen(
        "lasare",
        "API tokens with a new token",
        url("api_pages:tokens"),
        then=create_token_on,
    ),
    Screen("lasare", "API documentation", url("api_pages:docs")),
    Screen("admin", "risk matrix form", url("organisation:matrix_edit")),
    Screen(
        "admin",
        "risk matrix form with a cell map",
        url("organisation:matrix_edit"),
        then=show_the_cell_map,
    ),
    Screen(
        "admin",
        "risk matrix form with errors",
        url("organisation:matrix_edit"),
        then=save_matrix_without_a_level_name,
    ),
    Screen("ansvarig", "my proposals", url("nominations:mine")),
    Screen(
        "ansvarig",
        "propose a risk",
        url("nominations:create", query=lambda: f"plan={sn_plan().pk}"),
    ),
    Screen(
        "ansvarig",
        "propose a risk with errors",
        url("nominations:create", query=lambda: f"plan={sn_plan().pk}"),
        then=submit_empty,
    ),
    Screen(
        "ansvarig",
        "a sent proposal",
        url("nominations:create", query=lambda: f"plan={sn_plan().pk}"),
        then=send_proposal,
    ),
    Screen("samordnare", "proposals for the plan", url("nominations:queue", sn_plan)),
    Screen(
        "samordnare",
        "control activity follow-up form",
        url("followups:report_control_activity", sn_activity),
    ),
    Screen("samordnare", "action for a deviation", url("followups:answer_deviation", sn_deviation)),
    Screen("samordnare", "edit control activity", url("controls:edit", sn_activity)),
    Screen(
        "samordnare",
        "action for a deviation with errors",
        url("followups:answer_deviation", sn_deviation),
        then=submit_empty,
    ),
]


def blocking_violations(results: Any) -> list[dict[str, Any]]:
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        lines += [f"    {', '.join(map(str, node['target']))}" for node in violation["nodes"]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def open_screen(page_as: Any, screen: Screen) -> Any:
    """The page as the persona sees it; a missing page fails the test, it is not skipped."""
    try:
        address = screen.url()
    except NoReverseMatch as error:
        pytest.fail(f"{screen}: the page's URL name does not resolve ({error})", pytrace=False)
    page = page_as(screen.persona)
    response = page.goto(address)
    assert response.status == screen.status, (
        f"{screen}: {address} answers {response.status}, expected {screen.status}"
    )
    return page


@pytest.mark.parametrize("screen", SCREENS, ids=str)
def test_the_page_has_no_serious_or_critical_accessibility_violation(
    page_as: Any, axe: Axe, screen: Screen
) -> None:
    page = open_screen(page_as, screen)
    if screen.then:
        screen.then(page)
    assert page.title()

    violations = blocking_violations(axe.run(page))

    assert not violations, f"{screen} ({page.url}):\n{describe(violations)}"


def test_the_scan_reports_a_serious_violation_when_there_is_one(page: Any, axe: Axe) -> None:
    page.set_content(
        '<html lang="sv"><title>x</title><main><img src="a.png"><input type="text"></main></html>'
    )

    found = {violation["id"] for violation in blocking_violations(axe.run(page))}

    assert {"image-alt", "label"} <= found


def test_a_page_whose_url_name_does_not_resolve_fails(page_as: Any) -> None:
    screen = Screen("lasare", "a page that is gone", url("organisation:no_such_page"))

    with pytest.raises(pytest.fail.Exception, match="lasare: a page that is gone"):
        open_screen(page_as, screen)


def test_a_page_that_answers_404_fails(page_as: Any) -> None:
    screen = Screen("lasare", "a risk that is gone", lambda: "/risker/999999/")

    with pytest.raises(AssertionError, match="/risker/999999/ answers 404, expected 200"):
        open_screen(page_as, screen)
