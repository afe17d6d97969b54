"""/rapporter/<kind>/<plan>/: downloads in every format for those who may read the plan."""

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.test import PASSWORD, BaseTestCase, make_user


class ReportViewTests(BaseTestCase):
    def url(self, kind: str = "risk-picture", plan=None, **query: str) -> str:
        address = reverse("reports:report", args=[kind, (plan or self.sn_plan).pk])
        return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def login(self, user) -> None:
        self.client.login(username=user.username, password=PASSWORD)

    def test_anonymous_is_sent_to_log_in(self) -> None:
        response = self.client.get(self.url())
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))

    def test_it_rejects_post(self) -> None:
        self.login(self.coordinator)
        assert self.client.post(self.url()).status_code == 405

    def test_another_organisations_plan_is_not_found(self) -> None:
        self.login(self.outsider)
        assert self.client.get(self.url()).status_code == 404

    def test_an_unknown_kind_is_not_found(self) -> None:
        self.login(self.coordinator)
        assert self.client.get(self.url("nonsense")).status_code == 404

    def test_it_serves_every_format_with_its_type_and_filename(self) -> None:
        self.login(self.coordinator)
        expected = {
            "html": "text/html; charset=utf-8",
            "pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
        for fmt, content_type in expected.items():
            response = self.client.get(self.url("follow-up", period="T1", format=fmt))
            assert response.status_code == 200, fmt
            assert response["Content-Type"] == content_type
            if fmt != "html":
                disposition = response["Content-Disposition"]
                assert disposition.startswith("attachment;")
                stem = "uppfoljning-av-internkontrollplan-och-samlad-riskbild-socialnamnden-2025-t1"
                assert f'filename="{stem}.{fmt}"' in disposition

    def test_a_bad_period_is_a_swedish_message(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url("follow-up", period="X1", format="pdf"))
        assert response.status_code == 400
        assert "Perioden X1 finns inte" in response.content.decode()

    def test_the_overview_needs_a_role_over_the_whole_organisation(self) -> None:
        self.login(self.coordinator)
        assert self.client.get(self.url("overview", format="xlsx")).status_code == 403
        self.login(self.reader)
        assert self.client.get(self.url("overview", format="xlsx")).status_code == 200

    def test_the_overview_page_loads_its_body_with_htmx_and_a_plain_link(self) -> None:
        self.login(self.reader)
        page = self.client.get(self.url("overview")).content.decode()
        assert 'hx-trigger="load"' in page
        assert "Skapar rapporten" in page
        assert "/rapporter/jobb/" in page  # the plain link: the job's own page
        fragment = self.client.get(self.url("overview"), headers={"HX-Request": "true"})
        body = fragment.content.decode()
        assert body.lstrip().startswith("<article")
        assert "Socialnämnden" in body
        full = self.client.get(self.url("overview", now="1")).content.decode()
        assert "<!DOCTYPE html>" in full and "Översikt över alla nämnder" in full

    def test_a_responsible_person_reads_the_report_of_their_committee(self) -> None:
        member = make_user("ledamot", self.organisation, [(Role.READER, self.sn)])
        self.login(member)
        assert self.client.get(self.url(format="docx")).status_code == 200
        assert self.client.get(self.url(plan=self.bn_plan)).status_code == 404
