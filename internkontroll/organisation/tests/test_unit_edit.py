from __future__ import annotations

from django.urls import reverse

from internkontroll.organisation.models import Unit
from internkontroll.test import BaseTestCase


def url(unit: Unit) -> str:
    return reverse("organisation:unit_edit", args=[unit.pk])


class UnitEditTests(BaseTestCase):
    def test_an_administrator_renames_and_moves_a_unit(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            url(self.sf_vux),
            {"version": 1, "name": "Vuxenstöd", "kind": "department", "parent": self.bf.pk},
        )
        assert response.status_code == 302
        self.sf_vux.refresh_from_db()
        assert (self.sf_vux.name, self.sf_vux.kind, self.sf_vux.parent) == (
            "Vuxenstöd",
            "department",
            self.bf,
        )

    def test_the_identifier_stays_when_the_unit_is_renamed(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(url(self.sf_vux), {"version": 1, "name": "Vuxenstöd", "kind": "unit"})
        self.sf_vux.refresh_from_db()
        assert self.sf_vux.external_id == "sf-vux"

    def test_a_parent_below_the_unit_is_refused_with_a_message(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            url(self.sf),
            {
                "version": 1,
                "name": "Socialförvaltningen",
                "kind": "administration",
                "parent": self.sf_vux.pk,
            },
        )
        assert response.status_code == 422
        assert response.context["form"].errors["parent"] == [
            "En enhet kan inte placeras under sig själv."
        ]
        self.sf.refresh_from_db()
        assert self.sf.parent == self.sn

    def test_the_unit_is_not_offered_as_its_own_parent(self) -> None:
        self.client.force_login(self.admin)
        form = self.client.get(url(self.sf)).context["form"]
        assert self.sf not in form.fields["parent"].queryset

    def test_the_history_records_who_changed_the_unit(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(
            url(self.bf), {"version": 1, "name": "Skolförvaltningen", "kind": "administration"}
        )
        assert self.bf.history.latest().history_user == self.admin

    def test_a_coordinator_of_the_unit_may_not_change_it(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(url(self.sf), {"version": 1, "name": "X", "kind": "unit"})
        assert response.status_code == 403
        self.sf.refresh_from_db()
        assert self.sf.name == "Socialförvaltningen"

    def test_a_reader_may_not_change_units(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(url(self.sf)).status_code == 403

    def test_a_unit_of_another_organisation_is_not_found(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(url(self.sf)).status_code == 404

    def test_an_unknown_unit_is_not_found(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.get(reverse("organisation:unit_edit", args=[999999])).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(url(self.sf))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_delete(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.delete(url(self.sf)).status_code == 405
