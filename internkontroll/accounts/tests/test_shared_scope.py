"""A process keeps the scopes it computed until the scope stamp changes, and every write to
what a scope is computed from changes the stamp, whatever the write path."""

from unittest import mock

from django.db import connection, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from internkontroll import access
from internkontroll.access import compute_scope, scope_for
from internkontroll.accounts.models import Role, RoleAssignment, ScopeStamp, User
from internkontroll.organisation.models import Organisation, Unit
from internkontroll.test import BaseTestCase, make_unit, make_user


def fresh(user: User) -> User:
    """The user as the next request reads them."""
    return User.objects.get(pk=user.pk)


def ensure_stamp() -> None:
    """The stamp's row, which migrations make: a transactional test run before may have
    emptied every table."""
    ScopeStamp.objects.get_or_create(id=1, defaults={"token": 0})


class SharedScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        ensure_stamp()
        super().setUpTestData()

    def assert_current(self, user: User) -> None:
        assert scope_for(fresh(user)) == compute_scope(fresh(user))

    def test_the_next_request_reads_only_the_stamp(self) -> None:
        scope_for(fresh(self.responsible))
        person = fresh(self.responsible)
        with CaptureQueriesContext(connection) as queries:
            scope = scope_for(person)
        assert len(queries) == 1
        assert "accounts_scopestamp" in queries[0]["sql"]
        assert scope.readable_units == {self.sf_vux.pk}

    def test_a_new_role_counts_at_once(self) -> None:
        scope_for(fresh(self.responsible))
        RoleAssignment.objects.create(
            user=self.responsible, organisation=self.organisation, unit=self.bn, role=Role.READER
        )
        assert self.bn.pk in scope_for(fresh(self.responsible)).readable_units

    def test_a_removed_or_changed_role_counts_at_once(self) -> None:
        scope_for(fresh(self.coordinator))
        RoleAssignment.objects.filter(user=self.coordinator).update(role=Role.READER)
        assert scope_for(fresh(self.coordinator)).writable_units == frozenset()
        RoleAssignment.objects.filter(user=self.coordinator).delete()
        assert scope_for(fresh(self.coordinator)).readable_units == frozenset()

    def test_a_unit_added_moved_or_deleted_counts_at_once(self) -> None:
        scope_for(fresh(self.coordinator))
        new = make_unit(self.organisation, "sf-ny", "unit", self.sf)
        assert new.pk in scope_for(fresh(self.coordinator)).readable_units
        Unit.objects.filter(pk=new.pk).update(parent=self.bf)
        assert new.pk not in scope_for(fresh(self.coordinator)).readable_units
        Unit.objects.filter(pk=new.pk).delete()
        self.assert_current(self.coordinator)

    def test_units_written_in_bulk_or_by_raw_sql_count_at_once(self) -> None:
        scope_for(fresh(self.coordinator))
        (bulk,) = Unit.objects.bulk_create(
            [
                Unit(
                    organisation=self.organisation,
                    external_id="b",
                    name="B",
                    kind="unit",
                    parent=self.sf,
                )
            ]
        )
        assert bulk.pk in scope_for(fresh(self.coordinator)).readable_units
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE organisation_unit SET parent_id = %s WHERE id = %s", [self.bf.pk, bulk.pk]
            )
        assert bulk.pk not in scope_for(fresh(self.coordinator)).readable_units

    def test_renaming_a_unit_keeps_the_stamp(self) -> None:
        before = ScopeStamp.objects.get().token
        Unit.objects.filter(pk=self.sf.pk).update(name="Nytt namn")
        assert ScopeStamp.objects.get().token == before

    def test_a_change_rolled_back_leaves_no_scope_behind(self) -> None:
        scope_for(fresh(self.responsible))
        try:
            with transaction.atomic():
                RoleAssignment.objects.create(
                    user=self.responsible, organisation=self.organisation, role=Role.READER
                )
                assert scope_for(fresh(self.responsible)).organisation_wide_read
                raise RuntimeError
        except RuntimeError:
            pass
        assert not scope_for(fresh(self.responsible)).organisation_wide_read
        self.assert_current(self.responsible)

    def test_the_process_keeps_the_scopes_used_most_recently(self) -> None:
        people = [self.coordinator, self.responsible, self.reader]
        with mock.patch("internkontroll.access.SHARED_SCOPES", 2):
            for person in people:
                scope_for(fresh(person))
            scope_for(fresh(self.responsible))  # used again: the coordinator is the oldest
            scope_for(fresh(self.auditor))
            assert len(access._SHARED_SCOPES) == 2
            for person, kept in ((self.auditor, True), (self.coordinator, False)):
                next_request = fresh(person)
                with CaptureQueriesContext(connection) as queries:
                    scope_for(next_request)
                assert (len(queries) == 1) is kept, person.username

    def test_a_deactivated_person_has_no_scope_at_once(self) -> None:
        scope_for(fresh(self.coordinator))
        User.objects.filter(pk=self.coordinator.pk).update(is_active=False)
        assert scope_for(fresh(self.coordinator)).readable_units == frozenset()


class DeletedOrganisationTests(TransactionTestCase):
    """Deleting an organisation (its units and roles with it) changes the stamp; a flushed
    database without the stamp's row computes every scope."""

    def test_it_changes_the_stamp_and_the_scopes(self) -> None:
        ensure_stamp()
        home = Organisation.objects.create(name="Hemkommun")
        organisation = Organisation.objects.create(name="Kortlivad kommun")
        unit = make_unit(organisation, "n", "committee")
        person = make_user("tillfallig", home)
        RoleAssignment.objects.create(
            user=person, organisation=organisation, unit=unit, role=Role.READER
        )
        assert scope_for(fresh(person)).readable_units == {unit.pk}
        stamp = ScopeStamp.objects.values_list("token", flat=True).first()
        organisation.delete()
        assert ScopeStamp.objects.values_list("token", flat=True).first() != stamp
        assert scope_for(fresh(person)).readable_units == frozenset()

    def test_without_the_stamp_every_scope_is_computed(self) -> None:
        organisation = Organisation.objects.create(name="Kommun utan stämpel")
        unit = make_unit(organisation, "n", "committee")
        person = make_user("utan-stampel", organisation, [(Role.READER, unit)])
        ScopeStamp.objects.all().delete()
        scope_for(fresh(person))
        with CaptureQueriesContext(connection) as queries:
            assert scope_for(fresh(person)).readable_units == {unit.pk}
        assert any("accounts_roleassignment" in query["sql"] for query in queries)
