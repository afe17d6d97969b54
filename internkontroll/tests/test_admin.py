import datetime

import time_machine
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Model
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

from internkontroll.accounts.models import ScopeStamp, User
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import Evidence, FollowUp
from internkontroll.organisation.defaults import DEFAULT_RISK_MATRIX
from internkontroll.organisation.models import RiskMatrix
from internkontroll.risks.models import Action, Risk
from internkontroll.test import PASSWORD, BaseTestCase


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def domain_models() -> list[type[Model]]:
    return [
        model
        for config in apps.get_app_configs()
        # Background jobs are operations, not domain data: they keep no history.
        if config.name.startswith("internkontroll.") and config.name != "internkontroll.jobs"
        for model in config.get_models()
        # The scope stamp is the database's own bookkeeping, changed by triggers only.
        if not issubclass(model, HistoricalChanges) and model is not ScopeStamp
    ]


class SuperuserTestCase(BaseTestCase):
    """The cast, with a superuser logged in to the admin."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.superuser = User.objects.create_superuser("systemforvaltare", password=PASSWORD)

    def setUp(self) -> None:
        self.client.force_login(self.superuser)


class AdminTestCase(SuperuserTestCase):
    def key_objects(self) -> list[Model]:
        return [
            self.organisation,
            self.organisation.current_risk_matrix(),
            self.sn,
            self.sn_plan,
            self.sn_assessment,
            self.sn_risk,
            self.sn_action,
            self.sn_activity,
            self.sn_follow_up,
            self.sn_report,
            self.sn_recommendation,
            self.coordinator,
            self.coordinator.role_assignments.get(),
        ]

    def test_every_domain_model_is_in_the_admin_with_its_history(self) -> None:
        for model in domain_models():
            with self.subTest(model=model.__name__):
                assert isinstance(admin.site._registry.get(model), SimpleHistoryAdmin)

    def test_every_changelist_loads_with_and_without_a_search(self) -> None:
        for model in admin.site._registry:
            with self.subTest(model=model.__name__):
                assert self.client.get(admin_url(model, "changelist")).status_code == 200
                assert self.client.get(admin_url(model, "changelist") + "?q=x").status_code == 200

    def test_every_add_page_loads(self) -> None:
        for model, model_admin in admin.site._registry.items():
            # Records that are never made by hand (adopted versions) refuse adding.
            expected = 200 if model_admin.has_add_permission(self.request()) else 403
            with self.subTest(model=model.__name__):
                assert self.client.get(admin_url(model, "add")).status_code == expected

    def request(self) -> object:
        from django.test import RequestFactory

        request = RequestFactory().get("/")
        request.user = self.superuser
        return request

    def test_change_and_history_pages_load_for_key_objects(self) -> None:
        for obj in self.key_objects():
            with self.subTest(model=type(obj).__name__):
                change = self.client.get(admin_url(type(obj), "change", obj.pk))
                assert change.status_code == 200
                history = self.client.get(admin_url(type(obj), "history", obj.pk))
                assert history.status_code == 200

    def test_the_site_header_is_swedish(self) -> None:
        response = self.client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="sv")
        self.assertContains(response, "Internkontroll – administration")
        self.assertContains(response, "Data och inställningar")

    def test_score_and_level_are_shown_but_not_editable(self) -> None:
        response = self.client.get(admin_url(Risk, "change", self.sn_risk.pk))
        form_fields = response.context["adminform"].form.fields
        assert "probability" in form_fields
        assert not {"score", "level", "target_score", "target_level"} & set(form_fields)
        level = self.sn_risk.level
        assert level is not None
        self.assertContains(response, level.name)

    def test_the_risk_list_shows_each_risks_level(self) -> None:
        response = self.client.get(admin_url(Risk, "changelist"), {"plan__year": 2025})
        level = self.sn_risk.level
        assert level is not None
        self.assertContains(response, f'<td class="field-level">{level.name}</td>', html=True)

    def test_the_risk_list_needs_no_query_per_row(self) -> None:
        url = admin_url(Risk, "changelist")
        with CaptureQueriesContext(connection) as few_rows:
            self.client.get(url)
        for number in range(5):
            Risk.objects.create(
                plan=self.sn_plan,
                external_id=f"extra-{number}",
                title="Extra",
                probability=2,
                consequence=4,
            )
        with CaptureQueriesContext(connection) as more_rows:
            self.client.get(url)
        assert len(more_rows) == len(few_rows)

    def test_a_matrix_used_by_a_plan_cannot_be_edited(self) -> None:
        matrix = self.sn_plan.risk_matrix
        response = self.client.get(admin_url(RiskMatrix, "change", matrix.pk))
        assert "levels" not in response.context["adminform"].form.fields

    def test_an_unused_matrix_can_be_edited(self) -> None:
        matrix = RiskMatrix.objects.create(
            organisation=self.organisation, **RiskMatrix.fields_from_document(DEFAULT_RISK_MATRIX)
        )
        response = self.client.get(admin_url(RiskMatrix, "change", matrix.pk))
        assert "levels" in response.context["adminform"].form.fields

    @time_machine.travel(datetime.date(2025, 7, 1), tick=False)
    def test_it_filters_overdue_actions(self) -> None:
        self.client.force_login(self.superuser)  # a session that is valid on the frozen date
        on_time = Action.objects.create(
            risk=self.sn_risk,
            external_id="a-2",
            title="Ny rutin",
            due_date=datetime.date(2025, 9, 1),
        )
        url = admin_url(Action, "changelist")
        overdue_list = self.client.get(url, {"overdue": "yes"}).context["cl"].result_list
        on_time_list = self.client.get(url, {"overdue": "no"}).context["cl"].result_list
        assert list(overdue_list) == [self.sn_action]
        assert list(on_time_list) == [on_time]

    def test_it_filters_follow_ups_by_organisation(self) -> None:
        url = admin_url(FollowUp, "changelist")
        ours = self.client.get(url, {"organisation": self.organisation.pk}).context["cl"]
        theirs = self.client.get(url, {"organisation": self.other_organisation.pk}).context["cl"]
        assert list(ours.result_list) == [self.sn_follow_up]
        assert list(theirs.result_list) == []

    def test_a_malformed_filter_is_not_a_server_error(self) -> None:
        response = self.client.get(admin_url(FollowUp, "changelist"), {"organisation": "abc"})
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")

    def test_a_control_activity_rejects_a_period_of_another_organisation(self) -> None:
        request = RequestFactory().get("/")
        request.user = self.superuser
        model_admin = admin.site._registry[ControlActivity]
        form_class = model_admin.get_form(request, self.sn_activity)
        foreign_period = self.other_organisation.periods.first()
        assert foreign_period is not None
        form = form_class(
            instance=self.sn_activity,
            data={
                "risk": self.sn_risk.pk,
                "external_id": "k-1",
                "title": "Stickprov",
                "periods": [foreign_period.pk],
            },
        )
        assert not form.is_valid()
        assert "periods" in form.errors


def change_form_data(response) -> dict[str, object]:
    """What the admin's change page would send back unchanged: its form and inline forms."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


class AdminVersionTests(SuperuserTestCase):
    """The admin is one more edit form: it carries the row's version and refuses a stale one."""

    def objects(self) -> list[Model]:
        return [self.sn_action, self.sf, self.sn_recommendation]

    def test_a_change_page_carries_the_rows_version_and_saving_raises_it(self) -> None:
        for obj in self.objects():
            with self.subTest(model=type(obj).__name__):
                url = admin_url(type(obj), "change", obj.pk)
                data = change_form_data(self.client.get(url))
                assert data["version"] == obj.version
                response = self.client.post(url, data)
                assert response.status_code == 302, response.context["adminform"].form.errors
                obj.refresh_from_db()
                assert obj.version == data["version"] + 1

    def test_a_stale_or_missing_version_is_refused_and_nothing_is_saved(self) -> None:
        for obj in self.objects():
            for version in (obj.version + 5, "", "abc"):
                with self.subTest(model=type(obj).__name__, version=version):
                    url = admin_url(type(obj), "change", obj.pk)
                    data = change_form_data(self.client.get(url))
                    before = obj.version
                    response = self.client.post(url, {**data, "version": version})
                    assert response.status_code == 200
                    errors = " ".join(response.context["adminform"].form.non_field_errors())
                    assert "Någon annan sparade detta" in errors or "saknar versionen" in errors
                    obj.refresh_from_db()
                    assert obj.version == before
                    if isinstance(version, int):  # stale: the form now carries the current one
                        assert response.context["adminform"].form.data["version"] == before

    def test_a_stale_row_in_an_inline_is_refused_and_nothing_is_saved(self) -> None:
        url = admin_url(Risk, "change", self.sn_risk.pk)
        page = self.client.get(url)
        data = change_form_data(page)
        (row,) = [
            form
            for inline in page.context["inline_admin_formsets"]
            for form in inline.formset.initial_forms
            if form.instance == self.sn_action
        ]
        assert data[row.add_prefix("version")] == self.sn_action.version
        Action.objects.filter(pk=self.sn_action.pk).update(version=self.sn_action.version + 1)
        response = self.client.post(url, {**data, row.add_prefix("title"): "Från admin"})
        assert response.status_code == 200
        assert "Någon annan sparade detta" in response.content.decode()
        assert Action.objects.get(pk=self.sn_action.pk).title == self.sn_action.title

    def test_an_add_page_has_no_version(self) -> None:
        response = self.client.get(admin_url(Action, "add"))
        assert "version" not in response.context["adminform"].form.fields


class AdminEvidenceTests(SuperuserTestCase):
    """Evidence is only looked at in the admin: a file put in there would skip the type checks."""

    def setUp(self) -> None:
        super().setUp()
        self.evidence = Evidence(
            follow_up=self.sn_follow_up,
            name="protokoll.pdf",
            content_type="application/pdf",
            size=8,
            uploaded_by=self.coordinator,
        )
        self.evidence.file.save("protokoll.pdf", ContentFile(b"%PDF-1.4"), save=True)
        self.addCleanup(self.evidence.file.delete, save=False)

    def test_no_evidence_is_added_in_the_admin(self) -> None:
        assert self.client.get(admin_url(Evidence, "add")).status_code == 403

    def test_the_change_page_shows_the_evidence_but_changes_nothing(self) -> None:
        url = admin_url(Evidence, "change", self.evidence.pk)
        page = self.client.get(url)
        assert page.status_code == 200
        assert "protokoll.pdf" in page.content.decode()
        upload = SimpleUploadedFile("virus.hta", b"%PDF-1.4 <script>", "application/pdf")
        self.client.post(
            url,
            {
                "follow_up": self.sn_follow_up.pk,
                "uploaded_by": self.coordinator.pk,
                "name": "virus.hta",
                "file": upload,
            },
        )
        self.evidence.refresh_from_db()
        assert self.evidence.name == "protokoll.pdf"
        assert self.evidence.file.read() == b"%PDF-1.4"


class AdminReadOnlyRecordsTests(SuperuserTestCase):
    """Records made only by their own action are looked at in the admin, never changed there."""

    def test_proposals_and_sent_reminders_are_shown_but_not_changed(self) -> None:
        from internkontroll.nominations.models import Nomination
        from internkontroll.reminders.models import SentReminder

        nomination = Nomination.objects.create(
            plan=self.sn_plan,
            unit=self.sf_vux,
            title="Hot vid hembesök",
            motivation="Tre incidenter i år.",
            proposed_by=self.responsible,
        )
        reminder = SentReminder.objects.create(
            user=self.responsible, day=datetime.date(2025, 9, 1), item="digest", kind="digest"
        )
        for obj, shown in ((nomination, "Hot vid hembesök"), (reminder, "digest")):
            with self.subTest(model=type(obj).__name__):
                url = admin_url(type(obj), "change", obj.pk)
                page = self.client.get(url)
                assert page.status_code == 200
                assert shown in page.content.decode()
                assert not page.context["has_change_permission"]
                assert self.client.get(admin_url(type(obj), "history", obj.pk)).status_code == 200
                assert self.client.get(admin_url(type(obj), "delete", obj.pk)).status_code == 403
