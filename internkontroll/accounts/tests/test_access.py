from django.core.exceptions import PermissionDenied
from django.http import Http404

from internkontroll.access import forget_scope, scope_for
from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.audits.models import (
    AuditReport,
    Recommendation,
    get_audit_report_for_user,
    get_recommendation_for_user,
)
from internkontroll.controls.models import ControlActivity, get_control_activity_for_user
from internkontroll.followups.models import FollowUp, get_follow_up_for_user
from internkontroll.organisation.models import Organisation, Period, Unit, get_unit_for_user
from internkontroll.plans.models import (
    Assessment,
    ControlPlan,
    get_assessment_for_user,
    get_plan_for_user,
)
from internkontroll.risks.models import Action, Risk, get_action_for_user, get_risk_for_user
from internkontroll.test import BaseTestCase, make_user

# Written out by hand (not computed) so the tree walk in access.py is checked against it.
SUBTREE = {
    "ks": {"ks"},
    "sn": {"sn", "sf", "sf-vux", "sf-barn"},
    "sf": {"sf", "sf-vux", "sf-barn"},
    "sf-vux": {"sf-vux"},
    "sf-barn": {"sf-barn"},
    "bn": {"bn", "bf"},
    "bf": {"bf"},
}


class UnitTreeScopeTests(BaseTestCase):
    def units(self) -> dict[str, Unit]:
        return {
            unit.external_id: unit for unit in Unit.objects.filter(organisation=self.organisation)
        }

    def test_a_role_on_each_unit_covers_exactly_that_unit_and_everything_below(self) -> None:
        for external_id, unit in self.units().items():
            for role in Role.values:
                with self.subTest(unit=external_id, role=role):
                    user = make_user(f"u-{external_id}-{role}", self.organisation, [(role, unit)])
                    visible = set(Unit.objects.for_user(user).values_list("external_id", flat=True))
                    assert visible == SUBTREE[external_id]

    def test_only_coordinators_and_administrators_write_in_their_scope(self) -> None:
        for role in Role.values:
            with self.subTest(role=role):
                user = make_user(f"w-{role}", self.organisation, [(role, self.sn)])
                writable = set(
                    Unit.objects.for_user(user, write=True).values_list("external_id", flat=True)
                )
                expected = SUBTREE["sn"] if role in {Role.COORDINATOR, Role.ADMIN} else set()
                assert writable == expected

    def test_a_role_on_the_whole_organisation_covers_every_unit_of_it_and_no_other(self) -> None:
        visible = set(Unit.objects.for_user(self.reader).values_list("external_id", flat=True))
        assert visible == set().union(*SUBTREE.values())
        assert not Unit.objects.for_user(self.reader).filter(pk=self.other_committee.pk).exists()

    def test_roles_on_two_branches_add_up(self) -> None:
        user = make_user(
            "two", self.organisation, [(Role.READER, self.sf_vux), (Role.READER, self.bf)]
        )
        visible = set(Unit.objects.for_user(user).values_list("external_id", flat=True))
        assert visible == {"sf-vux", "bf"}

    def test_a_unit_moved_into_the_scope_is_seen_once_the_scope_is_recomputed(self) -> None:
        user = make_user("mover", self.organisation, [(Role.READER, self.sn)])
        assert not Unit.objects.for_user(user).filter(pk=self.bf.pk).exists()
        self.bf.parent = self.sf
        self.bf.save(update_fields=["parent"])
        forget_scope(user)
        assert Unit.objects.for_user(user).filter(pk=self.bf.pk).exists()

    def test_anonymous_inactive_and_roleless_users_see_nothing(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        inactive = make_user("inactive", self.organisation, [(Role.READER, None)])
        inactive.is_active = False
        roleless = make_user("roleless", self.organisation)
        for user in (AnonymousUser(), inactive, roleless, None):
            with self.subTest(user=user):
                assert not Risk.objects.for_user(user).exists()
                assert not Unit.objects.for_user(user).exists()
                assert not Organisation.objects.for_user(user).exists()

    def test_a_superuser_sees_every_organisation(self) -> None:
        root = User.objects.create_superuser("root", password="x-long-password-1")
        assert Risk.objects.for_user(root).count() == Risk.objects.count()

    def test_the_scope_is_computed_once_per_user_object(self) -> None:
        scope_for(self.coordinator)
        with self.assertNumQueries(0):
            Risk.objects.for_user(self.coordinator)
            scope_for(self.coordinator)


class ModelScopeTests(BaseTestCase):
    """Every model's `for_user`, for every persona."""

    def visible(self, model: type, user: User, write: bool = False) -> set[int]:
        return set(model.objects.for_user(user, write=write).values_list("pk", flat=True))

    def test_the_coordinator_of_a_committee_sees_and_writes_its_whole_plan(self) -> None:
        c = self.coordinator
        assert self.visible(ControlPlan, c) == {self.sn_plan.pk}
        assert self.visible(Risk, c) == {self.sn_risk.pk}
        assert self.visible(Risk, c, write=True) == {self.sn_risk.pk}
        assert self.visible(Action, c, write=True) == {self.sn_action.pk}
        assert self.visible(ControlActivity, c, write=True) == {self.sn_activity.pk}
        assert self.visible(FollowUp, c, write=True) == {self.sn_follow_up.pk}
        assert self.visible(Assessment, c, write=True) == {self.sn_assessment.pk}
        assert self.visible(AuditReport, c, write=True) == {self.sn_report.pk}
        assert self.visible(Recommendation, c, write=True) == {self.sn_recommendation.pk}

    def test_a_unit_sees_the_risks_it_identified_but_not_the_rest_of_the_plan(self) -> None:
        r = self.responsible
        other = Risk.objects.create(plan=self.sn_plan, external_id="r-2", title="Annan risk")
        assert self.visible(Risk, r) == {self.sn_risk.pk}
        assert other.pk not in self.visible(Risk, r)
        assert self.visible(Action, r) == {self.sn_action.pk}
        assert self.visible(ControlPlan, r) == {self.sn_plan.pk}  # to reach its own risks
        assert self.visible(ControlPlan, r, write=True) == set()
        assert self.visible(Risk, r, write=True) == set()

    def test_a_reader_on_the_organisation_reads_everything_of_it_and_writes_nothing(self) -> None:
        r = self.reader
        assert self.visible(Risk, r) == {self.sn_risk.pk, self.bn_risk.pk}
        assert self.visible(ControlPlan, r) == {self.sn_plan.pk, self.bn_plan.pk}
        for model in (
            Risk,
            Action,
            ControlActivity,
            FollowUp,
            ControlPlan,
            Assessment,
            AuditReport,
            Recommendation,
            Unit,
        ):
            with self.subTest(model=model.__name__):
                assert self.visible(model, r, write=True) == set()

    def test_the_auditor_of_a_committee_reads_it_only(self) -> None:
        a = self.auditor
        assert self.visible(Risk, a) == {self.sn_risk.pk}
        assert self.visible(Risk, a, write=True) == set()
        assert self.visible(AuditReport, a) == {self.sn_report.pk}

    def test_an_organisation_wide_audit_report_is_seen_only_with_an_organisation_wide_role(
        self,
    ) -> None:
        report = AuditReport.objects.create(
            organisation=self.organisation, external_id="rev-all", title="Grundläggande granskning"
        )
        assert report.pk in self.visible(AuditReport, self.reader)
        assert report.pk not in self.visible(AuditReport, self.coordinator)
        assert report.pk not in self.visible(AuditReport, self.outsider)

    def test_organisation_settings_are_read_by_members_and_written_by_administrators(self) -> None:
        periods = set(
            Period.objects.filter(organisation=self.organisation).values_list("pk", flat=True)
        )
        assert self.visible(Period, self.responsible) == periods
        assert self.visible(Period, self.coordinator, write=True) == set()
        assert self.visible(Period, self.admin, write=True) == periods
        assert self.visible(Organisation, self.outsider) == {self.other_organisation.pk}

    def test_nobody_in_one_organisation_sees_anything_of_another(self) -> None:
        for user in (self.coordinator, self.responsible, self.reader, self.auditor, self.admin):
            with self.subTest(user=user.username):
                assert self.other_risk.pk not in self.visible(Risk, user)
                assert self.other_plan.pk not in self.visible(ControlPlan, user)
        assert self.visible(Risk, self.outsider) == {self.other_risk.pk}


class GetterTests(BaseTestCase):
    def test_each_getter_gives_404_to_outsiders_403_to_readers_and_the_object_to_writers(
        self,
    ) -> None:
        cases = [
            (get_risk_for_user, self.sn_risk),
            (get_action_for_user, self.sn_action),
            (get_control_activity_for_user, self.sn_activity),
            (get_follow_up_for_user, self.sn_follow_up),
            (get_plan_for_user, self.sn_plan),
            (get_assessment_for_user, self.sn_assessment),
            (get_audit_report_for_user, self.sn_report),
            (get_recommendation_for_user, self.sn_recommendation),
            (get_unit_for_user, self.sn),
        ]
        for getter, obj in cases:
            with self.subTest(getter=getter.__name__):
                assert getter(self.coordinator, obj.pk, write=True) == obj
                assert getter(self.reader, obj.pk) == obj
                with self.assertRaises(PermissionDenied):
                    getter(self.reader, obj.pk, write=True)
                with self.assertRaises(Http404):
                    getter(self.outsider, obj.pk)
                with self.assertRaises(Http404):
                    getter(self.outsider, obj.pk, write=True)

    def test_an_unknown_or_malformed_id_is_404(self) -> None:
        for pk in (999999, "abc", None):
            with self.subTest(pk=pk), self.assertRaises(Http404):
                get_risk_for_user(self.coordinator, pk)

    def test_a_role_change_is_seen_after_forgetting_the_cached_scope(self) -> None:
        user = make_user("later", self.organisation)
        with self.assertRaises(Http404):
            get_risk_for_user(user, self.sn_risk.pk)
        RoleAssignment.objects.create(
            user=user, organisation=self.organisation, unit=self.sn, role=Role.READER
        )
        forget_scope(user)
        assert get_risk_for_user(user, self.sn_risk.pk) == self.sn_risk


class ReportingRightsTests(BaseTestCase):
    def test_the_assigned_person_may_report_on_their_own_items_only(self) -> None:
        from internkontroll.risks.models import Action

        mine = Action.objects.create(
            risk=self.sn_risk, external_id="a-mine", title="Min", assignee=self.responsible
        )
        reportable = set(Action.objects.reportable_by(self.responsible))
        assert reportable == {mine}
        assert get_action_for_user(self.responsible, mine.pk, report=True) == mine
        with self.assertRaises(PermissionDenied):
            get_action_for_user(self.responsible, self.sn_action.pk, report=True)
        with self.assertRaises(PermissionDenied):
            get_action_for_user(self.responsible, mine.pk, write=True)

    def test_an_assignment_outside_the_scope_gives_no_access(self) -> None:
        from internkontroll.risks.models import Action

        foreign = Action.objects.create(
            risk=self.bn_risk, external_id="a-x", title="Annan", assignee=self.responsible
        )
        assert foreign not in Action.objects.reportable_by(self.responsible)
        with self.assertRaises(Http404):
            get_action_for_user(self.responsible, foreign.pk, report=True)

    def test_coordinators_may_report_on_everything_they_write(self) -> None:
        assert get_control_activity_for_user(self.coordinator, self.sn_activity.pk, report=True)
        with self.assertRaises(PermissionDenied):
            get_control_activity_for_user(self.reader, self.sn_activity.pk, report=True)
