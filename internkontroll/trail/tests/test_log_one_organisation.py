"""A municipality's own installation: an organisation-wide reader's log walks the time index.

Listing the scope by id (every action of a city) took seconds; when the reader reads every
organisation the instance holds, the log reads everything instead, and must list exactly
the same entries as the scoped way.
"""

from __future__ import annotations

from unittest import mock

from django.test import TestCase

from internkontroll.access.trail import log_scope
from internkontroll.accounts.models import Role
from internkontroll.risks.models import Action
from internkontroll.test import make_organisation, make_plan, make_risk, make_unit, make_user
from internkontroll.trail import queries
from internkontroll.trail.queries import LogFilters, log_page, widened


class OneOrganisationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation("Ensamby kommun")
        committee = make_unit(cls.organisation, "sn", "committee", name="Socialnämnden")
        unit = make_unit(cls.organisation, "sf", "administration", parent=committee)
        for year in (2024, 2025):
            plan = make_plan(committee, year)
            for n in range(3):
                risk = make_risk(plan, f"r-{n}", unit=unit)
                Action.objects.create(risk=risk, external_id=f"a-{n}", title=f"Åtgärd {n}")
        cls.admin = make_user("admin", cls.organisation, [(Role.ADMIN, None)])
        cls.auditor = make_user("revisor", cls.organisation, [(Role.AUDITOR, committee)])

    def rows(self, scope: object) -> list[tuple[str, int]]:
        page = log_page(scope, LogFilters(), size=100)  # type: ignore[arg-type]
        return [(key, history_id) for key, history_id, _date in page.rows]

    def test_an_organisation_wide_reader_reads_everything_and_sees_the_same_entries(self) -> None:
        scope = log_scope(self.admin)
        assert not scope.everything
        assert widened(scope).everything
        with mock.patch.object(queries, "widened", side_effect=lambda scope: scope):
            by_id = self.rows(scope)
        assert len(by_id) == 2 + 6 + 6  # the plans, the risks and the actions, created
        assert self.rows(scope) == by_id

    def test_a_reader_of_one_committee_keeps_the_scoped_way(self) -> None:
        scope = log_scope(self.auditor)
        assert widened(scope) == scope

    def test_with_another_organisation_in_the_instance_the_scope_stays_as_it_is(self) -> None:
        other = make_organisation("Grannby kommun")
        make_plan(make_unit(other, "ks", "committee"), 2025)
        scope = log_scope(self.admin)
        assert widened(scope) == scope
        assert len(self.rows(scope)) == 2 + 6 + 6  # not the other organisation's plan
