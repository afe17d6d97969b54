"""Forged fields, missing or foreign CSRF tokens, tampered sessions and bad uploads.

Each is refused, and each test also proves that nothing was stored.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.urls import reverse

from internkontroll.accounts.models import RoleAssignment
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.followups.models import Evidence, FollowUp
from internkontroll.organisation.models import Goal
from internkontroll.risks.models import Action, Risk
from internkontroll.test import PASSWORD, BaseTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!doctype html><script>alert(1)</script>"


class BadRequestTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Action.objects.filter(pk=cls.sn_action.pk).update(assignee=cls.responsible)
        cls.unassigned = Action.objects.create(
            risk=cls.sn_risk, external_id="a-2", title="Ny rutin för attest", status="not_started"
        )
        cls.bn_goal = Goal.objects.create(
            organisation=cls.organisation, external_id="bn-1", unit=cls.bn, title="Trygg skola"
        )
        cls.bn_report = AuditReport.objects.create(
            organisation=cls.organisation, external_id="rev-bn", unit=cls.bn, title="Skolskjuts"
        )
        cls.bn_recommendation = Recommendation.objects.create(
            report=cls.bn_report, external_id="rek-bn", text="Följ upp skolskjutsavtalen."
        )

    def risk_data(self, **changes: Any) -> dict[str, Any]:
        return {"title": "Förfalskad risk", "unit": self.sf_vux.pk, "version": 1, **changes}

    def follow_up_data(self, **changes: Any) -> dict[str, Any]:
        return {
            "period": self.organisation.periods.get(code="T2").pk,
            "date": "2025-09-05",
            "status": "in_progress",
            "comment": "Förfalskad uppföljning.",
            "version": 1,
            **changes,
        }


class ForgedFieldTests(BadRequestTestCase):
    def test_a_risk_cannot_be_identified_by_a_unit_of_another_committee(self) -> None:
        self.client.force_login(self.coordinator)
        url = f"{reverse('risks:create')}?plan={self.sn_plan.pk}"
        response = self.client.post(url, self.risk_data(unit=self.bf.pk))
        assert response.status_code == 422
        assert "unit" in response.context["form"].errors
        assert not Risk.objects.filter(title="Förfalskad risk").exists()

    def test_a_risk_cannot_be_moved_to_a_unit_of_another_organisation(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("risks:edit", args=[self.sn_risk.pk])
        response = self.client.post(url, self.risk_data(unit=self.other_committee.pk))
        assert response.status_code == 422
        assert Risk.objects.get(pk=self.sn_risk.pk).unit == self.sf_vux

    def test_a_risk_cannot_be_tied_to_another_committees_goal(self) -> None:
        self.client.force_login(self.coordinator)
        url = f"{reverse('risks:create')}?plan={self.sn_plan.pk}"
        response = self.client.post(url, self.risk_data(goal=self.bn_goal.pk))
        assert response.status_code == 422
        assert not Risk.objects.filter(title="Förfalskad risk").exists()

    def test_a_risk_cannot_be_linked_to_another_committees_recommendation(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("risks:edit", args=[self.sn_risk.pk])
        response = self.client.post(
            url,
            self.risk_data(title=self.sn_risk.title, recommendations=[self.bn_recommendation.pk]),
        )
        assert response.status_code == 422
        assert not self.bn_recommendation.risks.exists()

    def test_an_audit_report_cannot_be_filed_under_a_committee_of_another_organisation(
        self,
    ) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("audits:create"),
            {"unit": self.other_committee.pk, "title": "Förfalskad", "date": "2025-09-01"},
        )
        assert response.status_code == 422
        assert "unit" in response.context["form"].errors
        assert not AuditReport.objects.filter(title="Förfalskad").exists()

    def test_an_audit_report_cannot_be_filed_under_a_committee_the_user_only_reads(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            reverse("audits:create"),
            {"unit": self.bn.pk, "title": "Förfalskad", "date": "2025-09-01"},
        )
        assert response.status_code == 422
        assert not AuditReport.objects.filter(title="Förfalskad").exists()

    def test_a_follow_up_cannot_be_reported_for_a_period_of_another_organisation(self) -> None:
        self.client.force_login(self.responsible)
        foreign_period = self.other_organisation.periods.get(code="T2")
        response = self.client.post(
            reverse("followups:report_action", args=[self.sn_action.pk]),
            self.follow_up_data(period=foreign_period.pk),
        )
        assert response.status_code == 422
        assert "period" in response.context["form"].errors
        assert not FollowUp.objects.filter(comment="Förfalskad uppföljning.").exists()

    def test_the_responsible_person_cannot_set_the_status_of_an_action_not_theirs(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.post(
            reverse("followups:report_action", args=[self.unassigned.pk]),
            self.follow_up_data(status="done"),
        )
        assert response.status_code == 403
        assert Action.objects.get(pk=self.unassigned.pk).status == "not_started"
        assert not FollowUp.objects.filter(comment="Förfalskad uppföljning.").exists()

    def test_the_responsible_person_cannot_set_a_status_through_the_action_form(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.post(
            reverse("risks:action_edit", args=[self.sn_action.pk]),
            {"title": self.sn_action.title, "status": "done", "version": 1},
        )
        assert response.status_code == 403
        assert Action.objects.get(pk=self.sn_action.pk).status == "in_progress"

    def test_a_status_that_does_not_exist_is_refused(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.post(
            reverse("followups:report_action", args=[self.sn_action.pk]),
            self.follow_up_data(status="approved_by_me"),
        )
        assert response.status_code == 422
        assert Action.objects.get(pk=self.sn_action.pk).status == "in_progress"
        assert not FollowUp.objects.filter(comment="Förfalskad uppföljning.").exists()

    def test_a_recommendation_status_that_does_not_exist_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            reverse("audits:recommendation_create", args=[self.sn_report.pk]),
            {"text": "Förfalskad rekommendation.", "status": "closed_forever"},
        )
        assert response.status_code == 422
        assert not Recommendation.objects.filter(text="Förfalskad rekommendation.").exists()

    def test_an_unknown_role_cannot_be_stored(self) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleAssignment.objects.create(
                user=self.reader, organisation=self.organisation, unit=self.sn, role="superuser"
            )
        assert not RoleAssignment.objects.filter(role="superuser").exists()


class CsrfTests(BadRequestTestCase):
    def setUp(self) -> None:
        self.url = reverse("risks:edit", args=[self.sn_risk.pk])
        self.csrf_client = Client(enforce_csrf_checks=True)

    def log_in(self, client: Client, username: str) -> str:
        """Log in through the login page, as a browser does; returns the token it used."""
        page = client.get(reverse("accounts:login"))
        token = page.context["csrf_token"]
        response = client.post(
            reverse("accounts:login"),
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302
        return str(token)

    def edit(self, **extra: Any) -> Any:
        return self.csrf_client.post(self.url, self.risk_data(title="Ändrad via CSRF", **extra))

    def current_token(self) -> str:
        return str(self.csrf_client.get(self.url).context["csrf_token"])

    def assert_unchanged(self) -> None:
        assert Risk.objects.get(pk=self.sn_risk.pk).title == self.sn_risk.title

    def test_a_post_with_the_current_token_is_accepted(self) -> None:
        # The control for the refusals below.
        self.log_in(self.csrf_client, "samordnare")
        response = self.edit(csrfmiddlewaretoken=self.current_token())
        assert response.status_code == 302
        assert Risk.objects.get(pk=self.sn_risk.pk).title == "Ändrad via CSRF"

    def test_a_post_without_a_token_is_refused(self) -> None:
        self.log_in(self.csrf_client, "samordnare")
        assert self.edit().status_code == 403
        self.assert_unchanged()

    def test_a_token_from_before_the_login_is_refused_after_it(self) -> None:
        replayed = self.log_in(self.csrf_client, "samordnare")
        assert self.edit(csrfmiddlewaretoken=replayed).status_code == 403
        self.assert_unchanged()

    def test_another_browsers_token_is_refused(self) -> None:
        self.log_in(self.csrf_client, "samordnare")
        other = Client(enforce_csrf_checks=True)
        self.log_in(other, "admin")
        foreign = str(other.get(self.url).context["csrf_token"])
        assert self.edit(csrfmiddlewaretoken=foreign).status_code == 403
        self.assert_unchanged()

    def test_a_token_in_the_htmx_header_must_match_too(self) -> None:
        self.log_in(self.csrf_client, "samordnare")
        other = Client(enforce_csrf_checks=True)
        foreign = str(other.get(reverse("accounts:login")).context["csrf_token"])
        response = self.csrf_client.post(
            self.url, self.risk_data(title="Ändrad via CSRF"), headers={"X-CSRFToken": foreign}
        )
        assert response.status_code == 403
        self.assert_unchanged()


class SessionTests(BadRequestTestCase):
    def test_a_tampered_session_cookie_makes_the_user_anonymous(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(reverse("followups:mine")).status_code == 200
        key = self.client.cookies["sessionid"].value
        self.client.cookies["sessionid"] = key[:-4] + ("aaaa" if key[-4:] != "aaaa" else "bbbb")
        response = self.client.get(reverse("followups:mine"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_a_post_with_a_tampered_session_cookie_stores_nothing(self) -> None:
        self.client.force_login(self.coordinator)
        self.client.cookies["sessionid"] = "x" * 32
        response = self.client.post(
            reverse("risks:edit", args=[self.sn_risk.pk]), self.risk_data(title="Ändrad")
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert Risk.objects.get(pk=self.sn_risk.pk).title == self.sn_risk.title


class UploadTests(BadRequestTestCase):
    def setUp(self) -> None:
        self.media = self.enterContext(tempfile.TemporaryDirectory())
        self.enterContext(override_settings(MEDIA_ROOT=self.media))
        self.client.force_login(self.responsible)

    def report(self, *files: SimpleUploadedFile) -> Any:
        return self.client.post(
            reverse("followups:report_action", args=[self.sn_action.pk]),
            self.follow_up_data(evidence=list(files)),
        )

    def assert_nothing_stored(self) -> None:
        assert not Evidence.objects.exists()
        assert not FollowUp.objects.filter(comment="Förfalskad uppföljning.").exists()
        assert Action.objects.get(pk=self.sn_action.pk).version == 1
        stored = [name for _dir, _subdirs, names in os.walk(self.media) for name in names]
        assert not stored, stored

    def test_an_upload_works_when_it_is_fine(self) -> None:
        # The control for the refusals below.
        assert self.report(SimpleUploadedFile("protokoll.pdf", PDF)).status_code == 302
        assert Evidence.objects.get().name == "protokoll.pdf"

    @override_settings(IK_EVIDENCE_MAX_BYTES=1024)
    def test_an_oversized_file_is_refused(self) -> None:
        response = self.report(SimpleUploadedFile("stor.pdf", PDF + b"0" * 4096))
        assert response.status_code == 422
        self.assert_nothing_stored()

    def test_a_program_named_like_a_pdf_is_refused(self) -> None:
        response = self.report(SimpleUploadedFile("protokoll.pdf", EXE, "application/pdf"))
        assert response.status_code == 422
        self.assert_nothing_stored()

    def test_a_web_page_named_like_an_image_is_refused(self) -> None:
        response = self.report(SimpleUploadedFile("bild.png", HTML, "image/png"))
        assert response.status_code == 422
        self.assert_nothing_stored()

    def test_one_bad_file_among_good_ones_stores_none_of_them(self) -> None:
        response = self.report(
            SimpleUploadedFile("protokoll.pdf", PDF), SimpleUploadedFile("virus.pdf", EXE)
        )
        assert response.status_code == 422
        self.assert_nothing_stored()

    def test_an_empty_file_is_refused(self) -> None:
        response = self.report(SimpleUploadedFile("tom.pdf", b""))
        assert response.status_code == 422
        self.assert_nothing_stored()

    def test_the_uploaded_name_is_never_used_on_disk(self) -> None:
        self.report(SimpleUploadedFile("../../etc/passwd.pdf", PDF))
        evidence = Evidence.objects.get()
        assert evidence.file.path.startswith(self.media)
        assert "passwd" not in evidence.file.name
