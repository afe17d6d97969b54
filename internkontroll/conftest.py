import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    config.addinivalue_line(
        "markers", "browser: drives Chromium through Playwright (deselect with -m 'not browser')"
    )

    # Hashing with a deliberately slow algorithm proves nothing in tests and costs minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
