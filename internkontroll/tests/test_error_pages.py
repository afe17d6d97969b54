"""The 400 and 500 pages: in the site's layout, with a way back, even with nothing to go on."""

from unittest import mock

from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, TestCase, override_settings
from django.urls import path, reverse
from django.views.defaults import bad_request, server_error

from internkontroll.urls import urlpatterns as site_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("hemlig detalj ur stackspåret")


urlpatterns = [path("trasig/", broken), *site_urlpatterns]


class ServerErrorPageTests(TestCase):
    def test_it_renders_without_a_request_or_user_in_the_context(self) -> None:
        response = server_error(RequestFactory().get("/"))
        content = response.content.decode()
        assert response.status_code == 500
        assert "<h1>Något gick fel</h1>" in content
        assert 'class="site-header"' in content
        assert "app.css" in content
        assert f'<a class="button" href="{reverse("followups:mine")}">Gå till startsidan</a>' in (
            content
        )
        assert "data-go-back hidden>Gå tillbaka</button>" in content
        assert "go-back.js" in content

    def test_it_offers_no_language_switch_it_could_not_post(self) -> None:
        content = server_error(RequestFactory().get("/")).content.decode()
        assert "set_language" not in content
        assert reverse("set_language") not in content

    def test_it_renders_when_the_database_is_down(self) -> None:
        with mock.patch(
            "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
            side_effect=OperationalError("databasen svarar inte"),
        ):
            response = server_error(RequestFactory().get("/"))
        assert response.status_code == 500
        assert "Gå till startsidan" in response.content.decode()

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_failing_page_shows_it_without_debug_detail(self) -> None:
        self.client.raise_request_exception = False
        with self.assertLogs("django.request", "ERROR"):
            response = self.client.get("/trasig/")
        content = response.content.decode()
        assert response.status_code == 500
        assert "Något gick fel" in content
        assert "hemlig detalj" not in content
        assert "RuntimeError" not in content


class BadRequestPageTests(TestCase):
    def test_it_renders_without_a_request_in_the_context(self) -> None:
        response = bad_request(RequestFactory().get("/"), SuspiciousOperation("hemligt"))
        content = response.content.decode()
        assert response.status_code == 400
        assert "<h1>Begäran kunde inte hanteras</h1>" in content
        assert "Gå till startsidan" in content
        assert "hemligt" not in content

    @override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
    def test_a_form_with_too_many_fields_gets_the_page(self) -> None:
        fields = {f"falt{number}": "x" for number in range(10)}
        with self.assertLogs("django.security", "ERROR"):
            response = self.client.post(reverse("accounts:login"), fields)
        assert response.status_code == 400
        assert "Begäran kunde inte hanteras" in response.content.decode()
