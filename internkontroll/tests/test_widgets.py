import datetime

from django import forms
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from internkontroll.lib.widgets import Select

CHOICES = [
    ("", gettext_lazy("All")),
    (1, "Ekonomi & <styrning>"),
    ("2", mark_safe("<b>Redan säker</b>")),
    (3, datetime.date(2026, 3, 31)),
    ('Grupp "A"', [("a1", "Första"), ("a2", 2026)]),
    (None, "Inget värde"),
    ('<"&>', "Tecken"),
]


class SelectTests(SimpleTestCase):
    """Our select writes exactly what Django's templates write."""

    def assert_same(self, field: forms.Field, data: dict[str, object], name: str = "f") -> None:
        class Ours(forms.Form):
            f = field

        class Djangos(forms.Form):
            f = forms.ChoiceField(
                choices=field.choices,  # type: ignore[attr-defined]
                required=field.required,
                widget=forms.Select(attrs=field.widget.attrs),
            )

        for language in ("sv", "en"):
            with override(language):
                ours = str(Ours(data, auto_id="id_%s")[name])
                theirs = str(Djangos(data, auto_id="id_%s")[name])
                assert ours == theirs

    def test_it_writes_what_djangos_select_writes(self) -> None:
        self.assert_same(forms.ChoiceField(choices=CHOICES, widget=Select), {})

    def test_it_marks_the_chosen_option_once(self) -> None:
        field = forms.ChoiceField(choices=CHOICES, widget=Select)
        self.assert_same(field, {"f": "1"})
        self.assert_same(field, {"f": "a2"})
        form = type("F", (forms.Form,), {"f": field})({"f": "a2"})
        assert '<option value="a2" selected>2026</option>' in str(form["f"])

    def test_it_escapes_values_labels_and_attributes(self) -> None:
        field = forms.ChoiceField(
            choices=CHOICES,
            required=True,
            widget=Select(attrs={"data-x": 'a"<b>', "disabled": True, "hidden": False}),
        )
        self.assert_same(field, {"f": '"><script>'})
        form = type("F", (forms.Form,), {"f": field})({})
        html = str(form["f"])
        assert "Ekonomi &amp; &lt;styrning&gt;" in html
        assert "<b>Redan säker</b>" in html
        assert 'data-x="a&quot;&lt;b&gt;" disabled' in html
        assert "hidden" not in html
