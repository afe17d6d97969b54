import datetime

from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Risk, RolloverDecision
from internkontroll.test import BaseTestCase, make_plan, make_risk, make_user


class DetailTests(BaseTestCase):
    def url(self, pk: int | None = None) -> str:
        return reverse("risks:detail", args=[pk or self.sn_risk.pk])

    def test_it_shows_the_risk_its_assessment_actions_and_follow_ups_newest_first(self) -> None:
        FollowUp.objects.create(action=self.sn_action, date="2025-09-01", comment="Senare rad.")
        self.client.force_login(self.reader)
        response = self.client.get(self.url())
        body = response.content.decode()
        assert response.status_code == 200
        assert "Felaktiga utbetalningar" in body
        assert "Inför attest i två steg" in body
        assert body.index("Senare rad.") < body.index("Arbetet har börjat.")
        assert response.context["risk"].level.name == "Kritisk"

    def test_it_links_to_last_years_version_of_the_risk(self) -> None:
        plan_2026 = make_plan(self.sn, 2026)
        this_year = make_risk(plan_2026, "r-1", title=self.sn_risk.title)
        self.client.force_login(self.coordinator)
        assert self.client.get(self.url(this_year.pk)).context["previous"] == self.sn_risk

    def test_a_carried_risk_links_to_the_one_it_came_from_before_one_of_the_same_title(
        self,
    ) -> None:
        renamed = make_risk(self.sn_plan, "r-2", title="Gammalt namn")
        make_risk(self.sn_plan, "r-3", title="Nytt namn")
        this_year = make_risk(make_plan(self.sn, 2026), "r-1", title="Nytt namn", previous=renamed)
        self.client.force_login(self.coordinator)
        assert self.client.get(self.url(this_year.pk)).context["previous"] == renamed

    def test_it_lists_the_risks_merged_into_it_that_the_reader_may_read(self) -> None:
        plan_2026 = make_plan(self.sn, 2026)
        target = make_risk(plan_2026, "r-1", title="Samlad risk")
        barn = make_risk(self.sn_plan, "r-2", title="Barnens risk", unit=self.sf_barn)
        for risk in (self.sn_risk, barn):
            RolloverDecision.objects.create(
                plan=plan_2026, risk=risk, decision="merge", target=target
            )
        target.unit = self.sf_barn
        target.save(update_fields=["unit"])
        self.client.force_login(self.coordinator)
        page = self.client.get(self.url(target.pk))
        assert page.context["merged_from"] == [self.sn_risk, barn]
        assert "Sammanslagna med denna risk" in page.content.decode()
        # Below the committee, only the merged risk of their own unit.
        self.client.force_login(make_user("barn", self.organisation, [(Role.READER, self.sf_barn)]))
        page = self.client.get(self.url(target.pk))
        assert page.context["merged_from"] == [barn]
        assert page.context["previous"] is None
        self.client.force_login(self.coordinator)
        last_year = self.client.get(self.url(barn.pk)).content.decode()
        assert "Sammanslagen med Samlad risk" in last_year

    def test_every_reader_of_last_years_risk_sees_what_became_of_it(self) -> None:
        plan_2026 = make_plan(self.sn, 2026)
        carried = make_risk(plan_2026, "r-1", title=self.sn_risk.title)
        barn = make_risk(self.sn_plan, "r-2", title="Barnens risk", unit=self.sf_barn)
        RolloverDecision.objects.create(
            plan=plan_2026, risk=self.sn_risk, decision="carry", target=carried
        )
        RolloverDecision.objects.create(
            plan=plan_2026, risk=barn, decision="close", reason="Risken finns inte längre."
        )
        below = make_user("barn", self.organisation, [(Role.READER, self.sf_barn)])
        for person, risk, shown in [
            (self.coordinator, self.sn_risk, "Förd över till 2026"),
            (self.reader, self.sn_risk, "Förd över till 2026"),
            (self.coordinator, barn, "Avslutad: Risken finns inte längre."),
            (below, barn, "Avslutad: Risken finns inte längre."),
        ]:
            with self.subTest(person=person.username, risk=risk.title):
                self.client.force_login(person)
                page = self.client.get(self.url(risk.pk))
                assert page.context["rollover"] == risk.rollover
                assert shown in page.content.decode()
        self.client.force_login(self.coordinator)
        assert self.client.get(self.url(carried.pk)).context["rollover"] is None

    def test_a_decision_is_read_by_whoever_reads_its_risk(self) -> None:
        # The page reads the decision with the risk instead of through its own gate: that
        # holds while a decision reaches its units through its risk and nothing else.
        decisions, risks = RolloverDecision.objects.all(), Risk.objects.all()
        assert tuple(decisions.unit_paths) == tuple(f"risk__{p}" for p in risks.unit_paths)
        assert decisions.organisation_path is None
        assert risks.organisation_path is None

    def test_each_follow_up_shows_under_its_own_action_activity_or_risk(self) -> None:
        activity = ControlActivity.objects.create(risk=self.sn_risk, external_id="k-2", title="K2")
        FollowUp.objects.create(control_activity=activity, date="2025-05-03", comment="Kontrollen.")
        FollowUp.objects.create(risk=self.sn_risk, date="2025-05-04", comment="Risken.")
        other = Risk.objects.get(pk=self.bn_risk.pk)
        FollowUp.objects.create(risk=other, date="2025-05-05", comment="Annan risk.")
        self.client.force_login(self.reader)
        page = self.client.get(self.url())
        actions, activities = page.context["actions"], page.context["activities"]
        assert [row.comment for row in actions[0].timeline] == ["Arbetet har börjat."]
        assert [row.comment for row in activities[0].timeline] == []
        assert [row.comment for row in activities[1].timeline] == ["Kontrollen."]
        assert [row.comment for row in page.context["follow_ups"]] == ["Risken."]
        assert "Annan risk." not in page.content.decode()

    def test_it_lists_the_risks_recommendations_newest_report_first(self) -> None:
        older = AuditReport.objects.create(
            organisation=self.organisation,
            external_id="rev-2",
            unit=self.sn,
            title="Äldre granskning",
            date=datetime.date(2023, 3, 1),
        )
        self.sn_report.date = datetime.date(2025, 2, 1)
        self.sn_report.save()
        texts = ["Gammal rekommendation.", "Ny rekommendation ett.", "Ny rekommendation två."]
        for report, text in zip([older, self.sn_report, self.sn_report], texts, strict=True):
            Recommendation.objects.create(report=report, external_id=text, text=text).risks.add(
                self.sn_risk
            )
        for person in (self.coordinator, self.reader):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                page = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk]))
                content = page.content.decode()
                shown = sorted(texts, key=content.index)
                assert shown == [texts[1], texts[2], texts[0]]

    def test_writers_get_edit_links_and_readers_do_not(self) -> None:
        edit = reverse("risks:edit", args=[self.sn_risk.pk])
        self.client.force_login(self.coordinator)
        assert edit in self.client.get(self.url()).content.decode()
        self.client.force_login(self.reader)
        assert edit not in self.client.get(self.url()).content.decode()

    def test_another_organisation_gets_the_swedish_404_page(self) -> None:
        self.client.force_login(self.outsider)
        response = self.client.get(self.url())
        assert response.status_code == 404
        assert "Sidan kunde inte hittas" in response.content.decode()

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        assert self.client.get(self.url()).status_code == 302

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(self.url()).status_code == 405
