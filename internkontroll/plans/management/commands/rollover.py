from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from internkontroll.exchange.exporter import ExportError, find_organisation
from internkontroll.plans import rollover
from internkontroll.plans.models import ControlPlan
from internkontroll.plans.rollover import (
    Choice,
    Decision,
    Outcome,
    RolloverRefused,
    roll_over,
    undo_rollover,
)
from internkontroll.risks.models import Risk


class Command(BaseCommand):
    help = (
        "Make a committee's plan for year N+1 from its plan for year N: every risk not yet "
        "decided is carried over, unless closed or merged here. Running it again copies "
        "nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="The committee's exchange id.")
        parser.add_argument("--year", type=int, required=True, help="The year rolled over (N).")
        parser.add_argument("--organisation", help="The organisation's name, if there are several.")
        parser.add_argument(
            "--close",
            action="append",
            default=[],
            metavar="RISK=REASON",
            help="Close a risk (its exchange id) instead of carrying it over.",
        )
        parser.add_argument(
            "--merge",
            action="append",
            default=[],
            metavar="RISK=INTO",
            help="Merge a risk into another of the year's risks that is carried over.",
        )
        parser.add_argument(
            "--undo", action="store_true", help="Undo the rollover (while N+1 is not adopted)."
        )
        parser.add_argument("--user", help="Username the changes are recorded under.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self._plan(options)
        acting_user = self._user(options["user"])
        try:
            if options["undo"]:
                undone = undo_rollover(plan, acting_user=acting_user)
                self.stdout.write(
                    _(
                        "Undid the rollover of %(plan)s: %(risks)s carried risks and "
                        "%(decisions)s decisions removed%(removed)s."
                    )
                    % {
                        "plan": plan,
                        "risks": undone.risks,
                        "decisions": undone.decisions,
                        "removed": _(", and the empty plan") if undone.plan_removed else "",
                    }
                )
                return
            outcome = roll_over(plan, self._choices(plan, options), acting_user=acting_user)
        except RolloverRefused as refused:
            for problem in refused.problems.values():
                self.stderr.write(problem)
            raise CommandError(_("Nothing was changed.")) from None
        self._print(plan, outcome)

    def _plan(self, options: dict[str, Any]) -> ControlPlan:
        try:
            organisation = find_organisation(options["organisation"])
        except ExportError as error:
            raise CommandError(str(error)) from None
        plan = (
            ControlPlan.objects.filter(
                unit__organisation=organisation,
                unit__external_id=options["unit"],
                year=options["year"],
            )
            .select_related("unit__organisation", "risk_matrix")
            .first()
        )
        if plan is None:
            raise CommandError(
                _("%(organisation)s has no plan for the unit %(unit)s in %(year)s.")
                % {"organisation": organisation, "unit": options["unit"], "year": options["year"]}
            )
        return plan

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_('There is no user "%(name)s".') % {"name": username})
        return user

    def _choices(self, plan: ControlPlan, options: dict[str, Any]) -> dict[int, Choice]:
        risks = {risk.external_id: risk for risk in Risk.objects.filter(plan=plan)}

        def risk(external_id: str, option: str) -> Risk:
            found = risks.get(external_id.strip())
            if found is None:
                raise CommandError(
                    _("--%(option)s: the plan has no risk %(id)s.")
                    % {"option": option, "id": external_id}
                )
            return found

        choices = {r.pk: Choice(Decision.CARRY) for r in risks.values()}
        for value in options["close"]:
            name, _sep, reason = value.partition("=")
            choices[risk(name, "close").pk] = Choice(Decision.CLOSE, reason=reason)
        for value in options["merge"]:
            name, _sep, into = value.partition("=")
            choices[risk(name, "merge").pk] = Choice(Decision.MERGE, into=risk(into, "merge"))
        return choices

    def _print(self, plan: ControlPlan, outcome: Outcome) -> None:
        if outcome.created:
            self.stdout.write(_("Made the draft plan %(plan)s.") % {"plan": outcome.plan})
        self.stdout.write(
            _(
                "Carried %(risks)s risks with %(actions)s open actions and %(activities)s "
                "recurring control activities from %(from)s to %(to)s."
            )
            % {
                "risks": len(outcome.carried),
                "actions": outcome.actions,
                "activities": outcome.activities,
                "from": plan.year,
                "to": outcome.plan.year,
            }
        )
        if outcome.moved_due_dates:
            self.stdout.write(rollover.moved_due_dates_message(outcome))
        sections = (
            (pgettext("rollover", "Carried over"), outcome.carried),
            (pgettext("rollover", "Closed"), outcome.closed),
            (pgettext("rollover", "Merged"), outcome.merged),
            (_("Skipped, decided before"), outcome.skipped),
        )
        for title, risks in sections:
            self.stdout.write(f"{title}: {len(risks)}")
            for risk in risks:
                self.stdout.write(f"  {risk.external_id} {risk.title}{self._detail(risk)}")

    def _detail(self, risk: Risk) -> str:
        decision = risk.rollover
        if decision.decision == Decision.CLOSE:
            return f": {decision.reason}"
        if decision.target is not None and decision.decision == Decision.MERGE:
            return f" → {decision.target.external_id} {decision.target.title}"
        return ""
