import re

from django.urls import reverse

from internkontroll.test import BaseTestCase, make_plan

PAGE = reverse("organisation:overview")


class OverviewLinkTests(BaseTestCase):
    """ "All committees" links to the organisation-wide overview, for those who may read it."""

    def links(self, year: int = 2025) -> list[str]:
        response = self.client.get(PAGE, {"year": year}, HTTP_ACCEPT_LANGUAGE="sv")
        assert response.status_code == 200
        return re.findall(r'href="(/rapporter/overview/[^"]+)"', response.content.decode())

    def test_an_organisation_wide_reader_gets_the_overview_in_every_format(self) -> None:
        self.client.force_login(self.reader)
        plan = min(self.sn_plan.pk, self.bn_plan.pk)
        base = reverse("reports:report", args=["overview", plan])
        assert self.links() == [
            f"{base}?format=html",
            f"{base}?format=pdf",
            f"{base}?format=docx",
            f"{base}?format=xlsx",
        ]
        page = self.client.get(PAGE, {"year": 2025}, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
        assert "Kommunövergripande sammanställning 2025" in page

    def test_the_links_lead_to_the_report(self) -> None:
        self.client.force_login(self.reader)
        for url in self.links()[1:]:
            response = self.client.get(url.replace("&amp;", "&"))
            assert response.status_code == 200, url
            # The overview is made in the background; its page offers the file when ready.
            job = response.context["job"]
            assert (job.kind, job.format) == ("overview", url.rsplit("=", 1)[1]), url

    def test_the_links_follow_the_chosen_year(self) -> None:
        next_year = make_plan(self.bn, year=2026)
        self.client.force_login(self.admin)
        base = reverse("reports:report", args=["overview", next_year.pk])
        assert self.links(2026)[0] == f"{base}?format=html"

    def test_a_committee_only_person_gets_no_link(self) -> None:
        for user in (self.coordinator, self.responsible, self.auditor):
            self.client.force_login(user)
            assert self.links() == [], user

    def test_the_year_fragment_carries_the_links_too(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(PAGE, {"year": 2025}, HTTP_HX_REQUEST="true")
        assert "/rapporter/overview/" in response.content.decode()
