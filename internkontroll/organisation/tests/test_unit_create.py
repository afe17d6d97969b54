from __future__ import annotations

from django.urls import reverse

from internkontroll.organisation.models import Unit
from internkontroll.test import BaseTestCase

URL = reverse("organisation:unit_create")


class UnitCreateTests(BaseTestCase):
    def test_an_administrator_creates_a_unit_below_a_parent(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            URL, {"name": "Äldreomsorg Norr", "kind": "department", "parent": self.sf.pk}
        )
        assert response.status_code == 302
        unit = Unit.objects.get(name="Äldreomsorg Norr")
        assert (unit.organisation, unit.parent, unit.kind) == (
            self.organisation,
            self.sf,
            "department",
        )

    def test_the_identifier_is_made_from_the_name(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(URL, {"name": "Äldreomsorg Norr", "kind": "department"})
        assert Unit.objects.get(name="Äldreomsorg Norr").external_id == "aldreomsorg-norr"

    def test_the_identifier_is_numbered_when_the_name_is_taken(self) -> None:
        self.client.force_login(self.admin)
        for _ in range(2):
            self.client.post(URL, {"name": "Vuxenenheten", "kind": "unit", "parent": self.sf.pk})
        identifiers = set(
            Unit.objects.filter(name="Vuxenenheten").values_list("external_id", flat=True)
        )
        assert identifiers == {"sf-vux", "vuxenenheten", "vuxenenheten-2"}

    def test_the_history_records_who_created_the_unit(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(URL, {"name": "Kulturnämnden", "kind": "committee"})
        unit = Unit.objects.get(name="Kulturnämnden")
        assert unit.history.get().history_user == self.admin

    def test_a_parent_of_another_organisation_is_refused(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            URL, {"name": "X", "kind": "unit", "parent": self.other_committee.pk}
        )
        assert response.status_code == 422
        assert "parent" in response.context["form"].errors
        assert not Unit.objects.filter(name="X").exists()

    def test_a_missing_name_is_shown_next_to_the_field_and_the_rest_is_kept(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(URL, {"name": "", "kind": "department"})
        assert response.status_code == 422
        assert "name" in response.context["form"].errors
        assert 'value="department" selected' in response.content.decode()

    def test_it_shows_the_form(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(URL)
        assert response.status_code == 200
        assert 'name="parent"' in response.content.decode()

    def test_a_coordinator_may_not_create_units(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, {"name": "X", "kind": "unit"})
        assert response.status_code == 403
        assert not Unit.objects.filter(name="X").exists()

    def test_a_reader_may_not_create_units(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(URL).status_code == 403

    def test_an_administrator_elsewhere_creates_in_their_own_organisation_only(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(URL).status_code == 403

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_put(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.put(URL).status_code == 405
