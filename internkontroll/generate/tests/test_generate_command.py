import datetime
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import TestCase
from django.urls import reverse

from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.controls.models import ControlActivity
from internkontroll.exchange.validation import validate_document
from internkontroll.followups.models import FollowUp
from internkontroll.generate.generator import GENERATED_PASSWORD
from internkontroll.generate.organisations import FIELDS
from internkontroll.organisation.models import Organisation, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.loading import load
from internkontroll.risks.models import OPEN_PROGRESS, Action, Risk

NOW = datetime.datetime(2025, 10, 15, 14, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
SEED = "7"


def generate(seed: str = SEED) -> str:
    out = io.StringIO()
    call_command("generate", "--profile", "tiny", "--seed", seed, stdout=out)
    return out.getvalue()


def exported(organisation: Organisation) -> dict:
    out = io.StringIO()
    call_command("export", "--organisation", organisation.name, stdout=out)
    return json.loads(out.getvalue())


def people(organisation: Organisation) -> list[tuple[str, str, str]]:
    return sorted(
        (assignment.user.username, assignment.role, assignment.unit.name if assignment.unit else "")
        for assignment in RoleAssignment.objects.filter(organisation=organisation).select_related(
            "user", "unit"
        )
    )


@time_machine.travel(NOW, tick=False)
class GenerateCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = generate()
        cls.organisation = Organisation.objects.get()

    def test_every_sampled_row_passes_the_models_rules(self) -> None:
        for model in FIELDS:
            rows = list(model._default_manager.order_by("pk")[:15])
            rows += list(model._default_manager.order_by("-pk")[:15])
            assert rows, model
            for row in rows:
                row.full_clean()
        for activity in ControlActivity.objects.order_by("pk")[:15]:
            activity.validate_periods(list(activity.periods.all()))

    def test_its_foreign_keys_point_at_rows_that_exist(self) -> None:
        connection.check_constraints()

    def test_every_row_is_recorded_in_the_history_as_created_in_the_past(self) -> None:
        for model in FIELDS:
            history = model.history.model.objects
            assert history.filter(history_type="+").count() == model._default_manager.count()
            assert set(history.values_list("history_type", flat=True)) <= {"+", "~"}
            assert not history.filter(history_date__gt=NOW).exists()
        assert ControlActivity.history.model.periods.model.objects.count() == (
            ControlActivity.periods.through.objects.count()
        )

    def test_the_latest_version_in_the_history_is_the_action_as_stored(self) -> None:
        latest = {
            version.id: (version.status, version.version)
            for version in Action.history.order_by("history_date", "history_id")
        }
        stored = {action.pk: (action.status, action.version) for action in Action.objects.all()}
        assert latest == stored
        assert Action.history.filter(history_type="~").exists()

    def test_it_builds_committees_with_plans_risks_and_follow_ups_for_three_years(self) -> None:
        committees = Unit.objects.filter(kind=Unit.Kind.COMMITTEE)
        assert committees.count() == 3
        plans = ControlPlan.objects.filter(unit__in=committees)
        assert sorted(set(plans.values_list("year", flat=True))) == [2023, 2024, 2025]
        for plan in plans:
            assert plan.risks.count() >= 3
        results = set(FollowUp.objects.values_list("result", flat=True))
        assert {"no_remarks", "deviation"} <= results
        assert FollowUp.objects.filter(recommendation__isnull=False).exists()
        assert Risk.recommendations.through.objects.exists()
        assert not FollowUp.objects.filter(date__gt=NOW.date()).exists()

    def test_its_export_validates_against_the_exchange_format(self) -> None:
        document = exported(self.organisation)
        assert validate_document(document) == []
        assert len(document["plans"]) == ControlPlan.objects.count()
        assert document["audit_reports"][0]["id"].startswith("rev-")

    def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(self) -> None:
        first = (exported(self.organisation), people(self.organisation))
        # Out of the way, so that the same seed can make the same organisation again.
        Organisation.objects.update(name="Tidigare kommun")
        User.objects.update(username=Concat(Value("tidigare-"), "username"))
        for seed, same in ((SEED, True), ("8", False)):
            with transaction.atomic():
                generate(seed)
                again = Organisation.objects.exclude(pk=self.organisation.pk).get()
                assert ((exported(again), people(again)) == first) is same
                transaction.set_rollback(True)

    def test_a_generated_coordinator_sees_the_committees_plan(self) -> None:
        assignment = RoleAssignment.objects.filter(role=Role.COORDINATOR).first()
        plan = ControlPlan.objects.filter(unit=assignment.unit, year=2025).get()
        self.client.force_login(assignment.user)
        response = self.client.get(reverse("plans:detail", args=[plan.pk]))
        assert response.status_code == 200
        assert f"{assignment.unit.name} 2025" in response.content.decode()

    def test_a_generated_responsible_person_finds_their_open_items_under_my_tasks(self) -> None:
        action = Action.objects.filter(
            assignee__isnull=False, status__in=OPEN_PROGRESS, risk__plan__year=2025
        ).first()
        self.client.force_login(action.assignee)
        response = self.client.get(reverse("followups:mine"))
        assert response.status_code == 200
        assert action.title in response.content.decode()

    def test_reports_as_of_a_past_day_read_each_action_as_its_follow_ups_then_left_it(self) -> None:
        on = datetime.date(2024, 8, 31)
        snapshot = load(self.organisation, year=2024, as_of=on)
        assert len(snapshot.risks) == Risk.objects.filter(plan__year=2024).count()
        reported: dict[int, str] = {}
        for follow_up in FollowUp.objects.filter(
            action__risk__plan__year=2024, date__lte=on
        ).order_by("date", "pk"):
            reported[follow_up.action_id] = follow_up.status
        statuses = {action.pk: action.status for action in snapshot.actions}
        assert statuses == {pk: reported.get(pk, "not_started") for pk in statuses}
        assert set(statuses.values()) != {"not_started"}
        assert {f.pk for f in snapshot.follow_ups if f.action_id} == set(
            FollowUp.objects.filter(action__risk__plan__year=2024, date__lte=on).values_list(
                "pk", flat=True
            )
        )

    def test_it_prints_the_counts_and_a_login_per_role(self) -> None:
        assert f"Risker: {Risk.objects.count()}" in self.output
        assert GENERATED_PASSWORD in self.output
        for role in Role:
            user = User.objects.filter(role_assignments__role=role).first()
            assert user.check_password(GENERATED_PASSWORD)
        assert "admin" in self.output

    def test_it_refuses_an_organisation_that_already_exists(self) -> None:
        with pytest.raises(CommandError, match=self.organisation.name):
            generate()

    def test_it_refuses_when_the_organisations_logins_exist_under_another_name(self) -> None:
        Organisation.objects.update(name="Omdöpt kommun")
        with pytest.raises(CommandError, match=self.organisation.name):
            generate()

    def test_it_refuses_to_run_in_production(self) -> None:
        with self.settings(PRODUCTION=True), pytest.raises(CommandError):
            generate("9")
        assert Organisation.objects.count() == 1


def test_country_names_are_distinct_and_never_hold_three_of_a_letter_in_a_row() -> None:
    from internkontroll.generate.organisations import joined, organisation_names
    from internkontroll.generate.profiles import PROFILES

    assert joined("Vall", "lunda") == "Vallunda"
    assert joined("Holm", "mark") == "Holmmark"
    names = organisation_names(PROFILES["country"], 1)
    assert len(set(names)) == len(names) == 290
    assert not [name for name in names if re.search(r"(.)\1\1", name)]
