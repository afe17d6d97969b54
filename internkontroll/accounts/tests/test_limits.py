from django.test import RequestFactory, SimpleTestCase, override_settings

from internkontroll.accounts.limits import client_address


def request(forwarded_for: str | None = None):  # type: ignore[no-untyped-def]
    extra = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra)


class ClientAddressTests(SimpleTestCase):
    def test_without_trusted_proxies_it_is_the_connecting_address(self) -> None:
        assert client_address(request("198.51.100.10")) == "10.0.0.2"

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_one_proxy_it_is_the_right_most_forwarded_address(self) -> None:
        assert client_address(request("192.0.2.1, 198.51.100.10")) == "198.51.100.10"

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_behind_two_proxies_it_is_the_second_from_the_right(self) -> None:
        assert client_address(request("192.0.2.1,198.51.100.10, 10.0.0.1")) == "198.51.100.10"

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_a_request_that_did_not_pass_every_proxy_counts_as_the_connecting_address(
        self,
    ) -> None:
        assert client_address(request("198.51.100.10")) == "10.0.0.2"
        assert client_address(request()) == "10.0.0.2"
        assert client_address(request(" , ")) == "10.0.0.2"
