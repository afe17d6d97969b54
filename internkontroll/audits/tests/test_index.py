import datetime

from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.audits.views import REPORTS_PER_PAGE
from internkontroll.followups.models import FollowUp
from internkontroll.test import BaseTestCase

URL = reverse("audits:index")


class IndexTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.bn_report = AuditReport.objects.create(
            organisation=cls.organisation,
            external_id="rev-2",
            unit=cls.bn,
            title="Granskning av skolskjutsar",
            auditor="PwC",
            date=datetime.date(2024, 10, 1),
        )
        Recommendation.objects.create(
            report=cls.bn_report, external_id="rek-1", text="Följ upp avtalen.", status="done"
        )
        cls.sn_report.date = datetime.date(2025, 3, 14)
        cls.sn_report.save()
        FollowUp.objects.create(
            recommendation=cls.sn_recommendation,
            date=datetime.date(2025, 4, 1),
            status="not_started",
            comment="Första kommentaren.",
        )
        FollowUp.objects.create(
            recommendation=cls.sn_recommendation,
            date=datetime.date(2025, 9, 1),
            status="in_progress",
            comment="Anvisningen är på remiss.",
        )
        cls.other_report = AuditReport.objects.create(
            organisation=cls.other_organisation,
            external_id="rev-1",
            unit=cls.other_committee,
            title="Grannens granskning",
        )

    def titles(self, **params: object) -> list[str]:
        return [report.title for report in self.client.get(URL, params).context["reports"]]

    def test_it_lists_the_visible_reports_newest_first_with_their_recommendations(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL)
        assert response.status_code == 200
        assert [r.title for r in response.context["reports"]] == [
            "Granskning av resor",
            "Granskning av skolskjutsar",
        ]
        body = response.content.decode()
        assert "Upprätta en lokal anvisning." in body
        assert "PwC" in body
        assert "2024-10-01" in body

    def test_it_shows_the_latest_follow_up_of_each_recommendation_with_its_date(self) -> None:
        self.client.force_login(self.reader)
        body = self.client.get(URL).content.decode()
        assert "2025-09-01" in body
        assert "Anvisningen är på remiss." in body
        assert "Första kommentaren." not in body

    def test_it_reads_only_the_latest_follow_up_however_long_the_history(self) -> None:
        self.client.force_login(self.reader)
        read = 0

        def count(sender: type, **kwargs: object) -> None:
            nonlocal read
            read += 1

        def follow_ups_read() -> int:
            nonlocal read
            read = 0
            post_init.connect(count, sender=FollowUp)
            try:
                self.client.get(URL)
            finally:
                post_init.disconnect(count, sender=FollowUp)
            return read

        before = follow_ups_read()
        FollowUp.objects.bulk_create(
            FollowUp(
                recommendation=self.sn_recommendation,
                date=datetime.date(2025, 3, day),
                comment=f"Äldre {day}",
            )
            for day in range(1, 29)
        )
        assert follow_ups_read() == before
        assert "Äldre" not in self.client.get(URL).content.decode()

    def test_it_counts_the_recommendations_by_status(self) -> None:
        self.client.force_login(self.reader)
        counts = {code: n for code, _label, n in self.client.get(URL).context["counts"]}
        assert counts == {"not_started": 1, "in_progress": 0, "done": 1, "cancelled": 0}

    def test_a_committee_user_sees_only_the_committees_reports(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.titles() == ["Granskning av resor"]

    def test_another_organisations_reports_are_never_listed(self) -> None:
        self.client.force_login(self.reader)
        assert "Grannens granskning" not in self.titles()
        assert "Grannens granskning" not in self.titles(committee=self.other_committee.pk)

    def test_filters_in_the_url_narrow_the_list(self) -> None:
        self.client.force_login(self.reader)
        assert self.titles(committee=self.bn.pk) == ["Granskning av skolskjutsar"]
        assert self.titles(year=2025) == ["Granskning av resor"]
        assert self.titles(status="done") == ["Granskning av skolskjutsar"]
        assert self.titles(status="open") == ["Granskning av resor"]
        assert self.titles(committee=self.bn.pk, status="open") == []

    def test_the_status_filter_shows_only_the_matching_recommendations(self) -> None:
        Recommendation.objects.create(
            report=self.sn_report, external_id="rek-2", text="Avslutad sak.", status="done"
        )
        self.client.force_login(self.reader)
        body = self.client.get(URL, {"status": "done"}).content.decode()
        assert "Avslutad sak." in body
        assert "Upprätta en lokal anvisning." not in body

    def test_the_counts_follow_the_committee_and_year_filters(self) -> None:
        self.client.force_login(self.reader)
        counts = {
            code: n
            for code, _label, n in self.client.get(URL, {"committee": self.bn.pk}).context["counts"]
        }
        assert counts["done"] == 1
        assert counts["not_started"] == 0

    def test_an_unknown_filter_value_is_ignored(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL, {"committee": "999999", "year": "x", "status": "odd"})
        assert response.status_code == 200
        assert len(response.context["reports"]) == 2

    def test_the_filter_form_works_without_javascript(self) -> None:
        self.client.force_login(self.reader)
        body = self.client.get(URL).content.decode()
        assert f'<form method="get" action="{URL}"' in body
        assert 'type="submit"' in body

    def test_htmx_gets_only_the_results(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL, {"committee": self.bn.pk}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert 'id="results"' in body
        assert "Granskning av skolskjutsar" in body
        assert "<html" not in body
        assert "<form" not in body

    def test_writers_get_a_link_to_create_and_readers_do_not(self) -> None:
        self.client.force_login(self.coordinator)
        assert reverse("audits:create") in self.client.get(URL).content.decode()
        self.client.force_login(self.reader)
        assert reverse("audits:create") not in self.client.get(URL).content.decode()

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(URL).status_code == 405

    def test_the_number_of_queries_does_not_grow_with_the_reports(self) -> None:
        self.client.force_login(self.reader)

        def count_for(total: int) -> int:
            existing = AuditReport.objects.filter(organisation=self.organisation).count()
            for n in range(existing, total):
                report = AuditReport.objects.create(
                    organisation=self.organisation,
                    external_id=f"q-{n}",
                    unit=self.sn if n % 2 else self.bn,
                    title=f"Rapport {n}",
                    date=datetime.date(2020 + n % 5, 1, 1),
                )
                recommendation = Recommendation.objects.create(
                    report=report, external_id="rek-1", text="Gör så."
                )
                FollowUp.objects.create(
                    recommendation=recommendation, date=datetime.date(2025, 1, 1), comment="Ok."
                )
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(URL, {"status": "open"})
            assert len(response.context["reports"]) >= min(total - 2, REPORTS_PER_PAGE)
            return len(queries)

        assert count_for(5) == count_for(50)


class IndexPagesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(25):
            AuditReport.objects.create(
                organisation=cls.organisation,
                external_id=f"p-{n}",
                unit=cls.bn,
                title=f"Rapport {n:02d}",
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            )

    def setUp(self) -> None:
        self.client.force_login(self.reader)

    def test_it_shows_twenty_reports_a_page_newest_first_and_links_to_the_next(self) -> None:
        response = self.client.get(URL, {"committee": self.bn.pk})
        titles = [report.title for report in response.context["reports"]]
        assert titles == [f"Rapport {n:02d}" for n in range(24, 4, -1)]
        body = response.content.decode()
        assert "Visar 1–20 av 25" in body
        assert f'href="?committee={self.bn.pk}&amp;page=2"' in body

    def test_the_second_page_holds_the_rest(self) -> None:
        response = self.client.get(URL, {"committee": self.bn.pk, "page": 2})
        titles = [report.title for report in response.context["reports"]]
        assert titles == [f"Rapport {n:02d}" for n in range(4, -1, -1)]

    def test_the_counts_cover_every_page(self) -> None:
        response = self.client.get(URL, {"committee": self.bn.pk, "page": 2})
        counts = {code: n for code, _label, n in response.context["counts"]}
        assert counts["done"] == 0 and sum(counts.values()) == 0

    def test_htmx_pages_swap_the_results(self) -> None:
        response = self.client.get(URL, {"page": 2}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="results"')
        assert 'hx-target="#results"' in body
