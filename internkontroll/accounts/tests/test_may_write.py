"""`may_write` answers as `for_user(user, write=True)` does, without a query when the object
was read with the related rows on its paths."""

import datetime

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from internkontroll.access import OrganisationScopedQuerySet, UnitScopedQuerySet
from internkontroll.accounts.tests.scope_cast import every_role_everywhere
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.nominations.models import Nomination
from internkontroll.organisation.models import Goal, Process, RiskArea
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Risk, RolloverDecision
from internkontroll.test import BaseTestCase, make_plan, make_risk, make_user


def scoped_models() -> list:
    return [
        model
        for model in apps.get_models()
        if isinstance(
            model._default_manager.all(), (UnitScopedQuerySet, OrganisationScopedQuerySet)
        )
    ]


def related_on_paths(queryset) -> list[str]:
    """The relations a path goes through: `risk__plan__unit_id` needs `risk__plan`."""
    paths = [*getattr(queryset, "unit_paths", ()), queryset.organisation_path or ""]
    return sorted({path.rpartition("__")[0] for path in paths if "__" in path})


class MayWriteTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A risk identified below the committee and one by another committee's unit: their
        # rows are written by some who do not write the plan.
        barn_risk = make_risk(cls.sn_plan, "r-2", unit=cls.sf_barn)
        bf_risk = make_risk(cls.sn_plan, "r-3", unit=cls.bf)
        activity = ControlActivity.objects.create(risk=bf_risk, external_id="k-2", title="K")
        day = datetime.date(2025, 5, 2)
        FollowUp.objects.create(control_activity=activity, date=day, result="no_remarks")
        FollowUp.objects.create(risk=barn_risk, date=day, on_track=True)
        FollowUp.objects.create(recommendation=cls.sn_recommendation, date=day)
        Goal.objects.create(organisation=cls.organisation, external_id="g-1", title="KF-mål")
        Goal.objects.create(
            organisation=cls.organisation, external_id="g-2", unit=cls.sn, title="Nämndmål"
        )
        RiskArea.objects.create(organisation=cls.organisation, name="Ekonomi")
        Process.objects.create(organisation=cls.organisation, name="Utbetalningar")
        RolloverDecision.objects.create(
            plan=make_plan(cls.sn, year=2026), risk=barn_risk, decision="close", reason="Klar"
        )
        Nomination.objects.create(
            plan=cls.sn_plan,
            unit=cls.sf_barn,
            source_risk=barn_risk,
            title="Förslag",
            motivation="Allvarlig",
            proposed_by=cls.responsible,
        )

    def people(self) -> list:
        superuser = make_user("mw-super", None)
        superuser.is_superuser = True
        superuser.save(update_fields=["is_superuser"])
        return [*every_role_everywhere(self, "mw"), superuser]

    def test_it_answers_as_the_write_scope_for_every_scoped_model_and_person(self) -> None:
        people = self.people()
        models = scoped_models()
        assert {Risk, ControlPlan, FollowUp, Goal, Nomination} <= set(models)
        for model in models:
            queryset = model._default_manager.all()
            loaded = list(queryset.select_related(*related_on_paths(queryset)).order_by("pk"))
            plain = list(model._default_manager.order_by("pk"))
            assert loaded, f"no {model.__name__} to check"
            for person in people:
                writable = set(queryset.for_user(person, write=True).values_list("pk", flat=True))
                for loaded_row, plain_row in zip(loaded, plain, strict=True):
                    with self.subTest(model=model.__name__, pk=loaded_row.pk, user=person.username):
                        expected = loaded_row.pk in writable
                        assert queryset.may_write(plain_row, person) is expected
                        assert queryset.may_write(loaded_row, person) is expected

    def test_a_loaded_object_needs_no_query(self) -> None:
        risk = Risk.objects.select_related("plan").get(pk=self.sn_risk.pk)
        follow_up = FollowUp.objects.select_related(*related_on_paths(FollowUp.objects.all())).get(
            pk=self.sn_follow_up.pk
        )
        for person in (self.coordinator, self.responsible, self.reader):
            Risk.objects.may_write(risk, person)  # the scope, read once per person
            with self.subTest(user=person.username), self.assertNumQueries(0):
                Risk.objects.may_write(risk, person)
                FollowUp.objects.may_write(follow_up, person)
                ControlPlan.objects.may_write(risk.plan, person)

    def test_an_object_without_its_related_rows_is_asked_of_the_database(self) -> None:
        risk = Risk.objects.get(pk=self.sn_risk.pk)
        Risk.objects.may_write(risk, self.outsider)
        with CaptureQueriesContext(connection) as queries:
            assert Risk.objects.may_write(risk, self.outsider) is False
        assert len(queries) == 1
