from pathlib import Path

import polib
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

import internkontroll

SWEDISH_CATALOGUE = Path(internkontroll.__file__).parent / "locale/sv/LC_MESSAGES/django.po"


class SwedishCatalogueTestCase(TestCase):
    def test_every_swedish_string_is_translated_and_checked(self) -> None:
        catalogue = polib.pofile(str(SWEDISH_CATALOGUE))
        assert not catalogue.metadata_is_fuzzy, "The catalogue's header is marked fuzzy."
        missing = [
            f"{entry.linenum}: {'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgid!r}"
            for entry in catalogue
            if not entry.obsolete and (entry.fuzzy or not entry.translated())
        ]
        assert not missing, "Swedish translations to do:\n" + "\n".join(missing)

    def test_the_swedish_catalogue_is_compiled_and_used(self) -> None:
        with translation.override("sv"):
            assert gettext("risk matrix") == "riskmatris"
            assert gettext("internal control plan") == "internkontrollplan"

    def test_english_is_available(self) -> None:
        with translation.override("en"):
            assert gettext("risk matrix") == "risk matrix"

    def test_pages_are_in_swedish_unless_the_user_chooses_english(self) -> None:
        # The browser's Accept-Language is ignored: only the language switcher changes it.
        english_browser = self.client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(english_browser, 'lang="sv"')
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.assertContains(self.client.get(reverse("admin:login")), 'lang="en"')
