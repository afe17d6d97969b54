from django.urls import reverse

from internkontroll.test import BaseTestCase


class SecurityHeaderTests(BaseTestCase):
    def test_pages_forbid_inline_script_and_framing(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("risks:overview"))
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'"
        assert "'unsafe-inline'" not in policy
        assert directives["frame-ancestors"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"

    def test_the_level_colours_style_carries_the_nonce_of_the_policy(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("risks:overview"))
        nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert f'<style nonce="{nonce}">' in response.content.decode()

    def test_no_page_of_the_app_has_inline_script_or_style_attributes(self) -> None:
        self.client.force_login(self.coordinator)
        for url in (
            reverse("followups:mine"),
            reverse("risks:overview"),
            reverse("risks:detail", args=[self.sn_risk.pk]),
            reverse("risks:edit", args=[self.sn_risk.pk]),
        ):
            body = self.client.get(url).content.decode()
            with self.subTest(url=url):
                assert "<script>" not in body
                assert " style=" not in body
                assert "onclick=" not in body

    def test_a_report_page_carries_its_stylesheet_with_the_nonce(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(
            reverse("reports:report", args=["risk-picture", self.sn_plan.pk]), {"format": "html"}
        )
        assert response.status_code == 200
        nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert f'<style nonce="{nonce}">' in response.content.decode()
