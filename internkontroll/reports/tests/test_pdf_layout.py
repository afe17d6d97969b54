"""PDFs read back as laid out on paper: A4 pages, nothing past the margins, headings kept with
their text, whole header words, Swedish hyphenation, a running header and "Sida 1 (n)".

The documents are built here, wide and long on purpose; the demo's reports get the same checks.
"""

from __future__ import annotations

import datetime
import functools
import io
import re

import pypdf
import pyphen
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.utils import translation
from weasyprint.html import UA

from internkontroll.plans.models import ControlPlan
from internkontroll.reports.document import (
    Document,
    Fields,
    Figure,
    Paragraph,
    Section,
    Table,
    number_sections,
)
from internkontroll.reports.kinds import KINDS
from internkontroll.reports.matrix import LevelKey, MatrixCell, MatrixPicture, matrix_svg
from internkontroll.reports.render.html import render_body, render_html
from internkontroll.reports.render.pdf import render_pdf, report_user_agent_css
from internkontroll.reports.requests import lay_out, make
from internkontroll.reports.tests import pages
from internkontroll.reports.tests.helpers import import_fixture
from internkontroll.reports.widths import (
    column_percentages,
    fits,
    maximum_widths,
    minimum_widths,
    text_em,
    whole_percentages,
)

RUNNING_HEAD = "Socialnämnden · Dnr SN-2024/259"
TITLE = "Uppföljning av internkontrollplan 2025"
LONG_TEXT = (
    "Stickprov av tjugo ärenden visade att underlaget var ofullständigt i tre av dem; "
    "handläggarna har fått en checklista och uppföljningen fortsätter under hösten. "
)
UNBREAKABLE = "Socialtjänstförvaltningensverksamhetsuppföljningsrapportbilaga" * 2
SEVENTEEN = [
    "Nämnd",
    "Diarienummer",
    "Fastställd",
    "Risker",
    "Låg",
    "Medel",
    "Hög",
    "Kritisk",
    "Kritiska",
    "Pågående åtgärder",
    "Avslutade åtgärder",
    "Ej påbörjade åtgärder",
    "Försenade",
    "Kontrollaktiviteter",
    "Avvikelser",
    "Bedömning",
    "Kommentar",
]


def picture(levels: list[tuple[str, str]] | None = None) -> MatrixPicture:
    levels = levels or [
        ("Låg", "#2e7d32"),
        ("Medel", "#f9a825"),
        ("Mycket hög", "#ef6c00"),
        ("Kritisk", "#c62828"),
    ]
    keys = [LevelKey(name, color, "#000000") for name, color in levels]
    rows = [
        [MatrixCell(p, c, p + c, keys[min(len(keys) - 1, (p * c - 1) // 4)]) for c in range(1, 5)]
        for p in range(4, 0, -1)
    ]
    return MatrixPicture(
        probability_labels=["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"],
        consequence_labels=["Försumbar", "Lindrig", "Allvarlig", "Mycket allvarlig"],
        rows=rows,
        legend=keys,
        assessed=40,
        unassessed=1,
    )


def document(sections: list[Section]) -> Document:
    number_sections(sections)
    return Document(
        title=TITLE,
        subtitle="Socialnämnden – Tertialrapport 2 (2025-05-01 – 2025-08-31)",
        running_head=RUNNING_HEAD,
        author="Exempelkommun",
        meta=[("Nämnd", "Socialnämnden"), ("Diarienummer", "SN-2024/259")],
        summary=[],
        sections=sections,
        sheets=[],
        filename_stem="uppfoljning",
    )


def committees_table() -> Table:
    rows: list[list[str | int | datetime.date | None]] = [
        [
            f"Nämnd {n}",
            f"SN-2024/{n}",
            datetime.date(2025, 1, 1 + n),
            *range(10, 22),
            "Delvis tillräcklig",
            LONG_TEXT,
        ]
        for n in range(25)
    ]
    widths = [30, 16, 12, 8, 6, 6, 6, 6, 8, 10, 10, 10, 10, 10, 10, 18, 40]
    return Table("Nämnder", SEVENTEEN, rows, widths)


def actions_table(count: int) -> Table:
    columns = ["Risk", "Åtgärd", "Ansvarig", "Slutdatum", "Status", "Kommentar för perioden"]
    rows: list[list[str | int | datetime.date | None]] = [
        [
            f"Felaktiga utbetalningar {n}",
            "Checklista för underlag vid nyansökan" if n % 3 else UNBREAKABLE,
            "Avdelningschef individ- och familjeomsorg",
            datetime.date(2025, 12, 31),
            "Pågående",
            LONG_TEXT * (1 + n % 4),
        ]
        for n in range(count)
    ]
    return Table("Åtgärder", columns, rows, [20, 24, 14, 10, 9, 40])


@functools.cache
def wide() -> Document:
    """Every hard case: long unbreakable words, long texts, 17 columns, a landscape section."""
    return document(
        [
            Section("Sammanfattning", 1, [Paragraph(LONG_TEXT * 3), Paragraph(UNBREAKABLE)]),
            Section("Riskmatris", 1, [Figure(picture())]),
            Section(
                "Risker",
                1,
                [
                    Fields(
                        [
                            ("Riskbeskrivning", LONG_TEXT * 4),
                            ("Befintliga kontroller", UNBREAKABLE),
                        ]
                    ),
                    actions_table(30),
                ],
            ),
            Section("Nämnder sida vid sida", 1, [committees_table()], landscape=True),
            Section("Avslutning", 1, [Paragraph(LONG_TEXT)]),
        ]
    )


@functools.cache
def cramped() -> Document:
    """Seventeen columns on a portrait page: too many for whole header words, not for the page."""
    return document([Section("Nämnder", 1, [committees_table()])])


@functools.cache
def long() -> Document:
    """Headings of every level after texts and tables of every length, so that some reach a
    page's foot wherever it falls."""
    areas = [
        Section(
            f"Riskområde {n}",
            2,
            [Paragraph(LONG_TEXT * (n % 5))] if n % 3 else [],
            [
                Section(
                    f"Risk {n}.{m}",
                    3,
                    [
                        Fields([("Riskbeskrivning", LONG_TEXT * (1 + (n + m) % 3))]),
                        actions_table(1 + (n * m) % 4),
                    ],
                    [Section(f"Kontroll {n}.{m}", 4, [Paragraph(LONG_TEXT)])] if m == 1 else [],
                )
                for m in range(1 + n % 3)
            ],
        )
        for n in range(24)
    ]
    return document(
        [
            Section("Inledning", 1, [Paragraph(LONG_TEXT * 5)]),
            Section("Risker per område", 1, children=areas),
        ]
    )


@functools.cache
def pdf(name: str) -> bytes:
    with translation.override("sv"):
        return render_pdf({"wide": wide, "cramped": cramped, "long": long}[name]())


@functools.cache
def read(name: str) -> list[pages.Page]:
    return pages.read(pdf(name))


def headings(document: Document) -> list[str]:
    """The numbered headings and the table captions: none may end a page."""

    def walk(sections: list[Section]) -> list[str]:
        return [
            text
            for section in sections
            for text in [
                section.numbered_heading,
                *(b.title for b in section.blocks if isinstance(b, Table) and b.show_title),
                *walk(section.children),
            ]
        ]

    return walk(document.sections)


def header_words(document: Document) -> list[str]:
    def walk(sections: list[Section]) -> list[str]:
        return [
            word
            for section in sections
            for block in section.blocks
            if isinstance(block, Table)
            for column in block.columns
            for word in column.split()
        ] + [word for section in sections for word in walk(section.children)]

    return walk(document.sections)


class PagesTests(SimpleTestCase):
    def test_every_page_is_a4_and_landscape_only_for_the_landscape_section(self) -> None:
        printed = read("wide")
        assert pages.not_a4(printed) == []
        landscape = [page.landscape for page in printed]
        assert any(landscape) and not landscape[0] and not landscape[-1]
        for page in printed:
            holds_committees = "Kontrollaktiviteter" in page.text()  # its repeated header row
            assert page.landscape == holds_committees, page.number

    def test_no_word_is_drawn_past_the_margins(self) -> None:
        assert pages.words_past_margins(read("wide")) == []

    def test_seventeen_columns_on_a_portrait_page_still_keep_inside_the_margins(self) -> None:
        printed = read("cramped")
        assert pages.words_past_margins(printed) == []
        assert "hösten." in printed[0].text()  # the last column is there

    def test_every_table_header_word_appears_whole(self) -> None:
        assert pages.broken_words(read("wide"), header_words(wide())) == []

    def test_long_words_break_at_swedish_hyphenation_points(self) -> None:
        swedish = pyphen.Pyphen(lang="sv")
        with translation.override("sv"):
            text = re.sub(r"<[^>]+>", " ", render_body(wide()))
        pieces = set()  # every run of syllables that ends where Swedish allows a hyphen
        for word in set(re.findall(r"\w+", text)):
            points = [0, *swedish.positions(word)]
            pieces |= {word[a:b] for a in points for b in points if a < b}
        words = [word.text for page in read("wide") for word in page.words]
        hyphenated = [word[:-1] for word in words if word.endswith("\u2010")]
        assert len(hyphenated) > 10
        assert [word for word in hyphenated if word not in pieces] == []

    def test_no_heading_or_caption_is_the_last_line_of_a_page(self) -> None:
        printed = read("long")
        assert len(printed) > 10
        assert pages.headings_at_page_bottom(printed, headings(long())) == []

    def test_every_page_has_the_running_header_and_its_number_of_all(self) -> None:
        printed = read("wide")
        for page in printed:
            top = " ".join(w.text for w in page.words if w.bottom < 25 * pages.MM)
            bottom = " ".join(w.text for w in page.words if w.top > page.height - 25 * pages.MM)
            assert RUNNING_HEAD in top and TITLE in top, page.number
            assert bottom == f"Sida {page.number} ({len(printed)})", page.number

    def test_the_file_carries_title_author_and_swedish(self) -> None:
        reader = pypdf.PdfReader(io.BytesIO(pdf("wide")))
        assert reader.metadata is not None
        assert reader.metadata.title is not None and reader.metadata.title.startswith(TITLE)
        assert reader.metadata.author == "Exempelkommun"
        assert str(reader.trailer["/Root"]["/Lang"]).startswith("sv")


class UserAgentSheetTests(SimpleTestCase):
    def test_no_rule_styles_a_pseudo_element_of_every_element(self) -> None:
        """WeasyPrint computes such a style for every table cell: a sixth of a long PDF's time."""
        sheet = report_user_agent_css(UA)
        assert re.findall(r"^\*?::[\w-]+", sheet, flags=re.MULTILINE) == []
        assert "::footnote-call" in UA and "li::marker" in sheet


class CaptionTests(SimpleTestCase):
    def render(self, *tables: Table) -> str:
        with translation.override("sv"):
            return render_body(document([Section("Kritiska risker", 1, list(tables))]))

    def test_a_table_named_like_its_heading_gets_no_caption(self) -> None:
        html = self.render(Table("Kritiska risker", ["Risk"], [["Brist"]]))
        assert "<caption>" not in html
        assert 'aria-labelledby="section-1-heading"' in html

    def test_a_table_with_show_title_off_gets_no_caption(self) -> None:
        html = self.render(Table("Risker", ["Risk"], [["Brist"]], show_title=False))
        assert "<caption>" not in html

    def test_other_tables_are_captioned(self) -> None:
        html = self.render(Table("Åtgärder", ["Åtgärd"], [["Checklista"]]))
        assert "<caption>Åtgärder</caption>" in html

    def test_the_pdf_names_the_heading_once(self) -> None:
        with translation.override("sv"):
            content = render_pdf(
                document([Section("Avvikelser", 1, [Table("Avvikelser", ["Avvikelse"], [["X"]])])])
            )
        text = " ".join(page.text() for page in pages.read(content))
        assert text.count("Avvikelser") == 1  # the heading, and no caption


class WebPageTests(SimpleTestCase):
    def html(self) -> str:
        with translation.override("sv"):
            return render_html(wide())

    def test_it_is_swedish_titled_and_authored_with_a_main_landmark(self) -> None:
        html = self.html()
        assert '<html lang="sv-SE">' in html
        assert f"<title>{TITLE} – Socialnämnden" in html
        assert '<meta name="author" content="Exempelkommun">' in html
        assert "<main>" in html and "</main>" in html

    def test_headings_are_numbered_h2_to_h5_by_level(self) -> None:
        with translation.override("sv"):
            html = render_body(long())
        assert re.search(r"<h2 [^>]*>1 Inledning</h2>", html)
        assert re.search(r"<h3 [^>]*>2\.1 Riskområde 0</h3>", html)
        assert re.search(r"<h4 [^>]*>2\.2\.1 Risk 1\.0</h4>", html)
        assert re.search(r"<h5 [^>]*>2\.2\.2\.1 Kontroll 1\.1</h5>", html)

    def test_tables_have_column_headers_and_widths_without_inline_styles(self) -> None:
        html = self.html()
        assert '<th scope="col">Kontrollaktiviteter</th>' in html
        assert "style=" not in html.split("</head>")[1]  # the CSP allows no style attributes
        widths = re.findall(r'<colgroup>((?:<col class="w\d+">)+)</colgroup>', html)
        assert widths
        for group in widths:
            assert sum(int(n) for n in re.findall(r"w(\d+)", group)) == 100

    def test_the_page_header_and_footer_are_in_the_page_style(self) -> None:
        html = self.html()
        assert "counter(page)" in html and "counter(pages)" in html
        assert '@top-left { content: "Socialnämnden \\b7  Dnr SN-2024/259" }' in html
        assert ".landscape { page: landscape; }" in html

    def test_fields_are_a_definition_list(self) -> None:
        assert "<dt>Riskbeskrivning</dt><dd>" in self.html()

    def test_a_running_head_cannot_end_the_style_element(self) -> None:
        hostile = document([Section("A", 1, [Paragraph("x")])])
        hostile.running_head = '</style><script>alert(1)</script>"'
        with translation.override("sv"):
            html = render_html(hostile)
        assert "<script>" not in html


class MatrixTests(SimpleTestCase):
    def svg(self, picture: MatrixPicture) -> str:
        with translation.override("sv"):
            return matrix_svg(picture)

    def test_every_cell_names_its_level_in_full(self) -> None:
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", self.svg(picture()))
        assert "Mycket hög" in texts or {"Mycket", "hög"} <= set(texts)
        assert "Me" not in texts and "My" not in texts
        assert texts.count("Kritisk") >= 2  # in its cells and in the legend

    def test_it_scales_to_the_width_it_is_given(self) -> None:
        svg = self.svg(picture())
        opening = svg.split(">", 1)[0]
        assert "viewBox=" in opening
        assert " width=" not in opening and " height=" not in opening

    def test_long_labels_wrap_inside_the_picture(self) -> None:
        long_labels = picture(
            [
                ("Låg", "#2e7d32"),
                ("Förhöjd uppmärksamhet krävs av förvaltningsledningen omgående", "#f9a825"),
                ("Hög", "#ef6c00"),
            ]
        )
        long_labels.consequence_labels[3] = "Mycket allvarlig och långvarig skada"
        long_labels.probability_labels[0] = "Osannolik men inte omöjlig"
        svg = self.svg(long_labels)
        box = [float(n) for n in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]  # type: ignore[union-attr]
        for attributes, text in re.findall(r"<text([^>]*)>([^<]*)</text>", svg):
            x = float(re.search(r' x="([^"]+)"', attributes).group(1))  # type: ignore[union-attr]
            size = float(re.search(r'font-size="([^"]+)"', attributes).group(1))  # type: ignore[union-attr]
            width = text_em(text, bold="bold" in attributes) * size
            anchor = re.search(r'text-anchor="(\w+)"', attributes)
            left = {"middle": x - width / 2, "end": x - width}.get(
                anchor.group(1) if anchor else "", x
            )
            assert left >= box[0] - 0.5 and left + width <= box[0] + box[2] + 0.5, text
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert "Mycket allvarlig och långvarig skada" not in texts  # wrapped over lines
        level = "Förhöjd uppmärksamhet krävs av förvaltningsledningen omgående"
        assert texts.count(level) == 1  # in the legend, not the cells


class WidthsTests(SimpleTestCase):
    def test_the_widths_follow_the_weights_when_every_header_fits(self) -> None:
        percentages = column_percentages(["A", "B", "C"], [1, 2, 5], 160, 8.5)
        assert [round(p, 6) for p in percentages] == [12.5, 25, 62.5]

    def test_a_narrow_column_gets_its_longest_header_word_and_the_rest_share_the_others(
        self,
    ) -> None:
        columns = ["Risk", "Riskvärde", "Kommentar för perioden"]
        minimums = minimum_widths(columns, 8.5, padding_mm=2)
        percentages = column_percentages(columns, [40, 4, 60], 160, 8.5, padding_mm=2)
        assert abs(sum(percentages) - 100) < 1e-9
        assert percentages[1] * 1.6 >= minimums[1] - 1e-9 > 160 * 4 / 104
        assert abs(percentages[0] / percentages[2] - 40 / 60) < 1e-9

    def test_a_header_word_is_measured_in_bold_at_its_size(self) -> None:
        [small] = minimum_widths(["Kontrollaktiviteter"], 7, padding_mm=0)
        [large] = minimum_widths(["Kontrollaktiviteter"], 10, padding_mm=0)
        assert 20 < small < large < 40
        assert large == max(minimum_widths(["Kontroll", "Kontrollaktiviteter"], 10, padding_mm=0))

    def test_dates_kept_whole_widen_their_column(self) -> None:
        plain = column_percentages(["Nr", "Text"], [1, 30], 100, 8)
        with_date = column_percentages(["Nr", "Text"], [1, 30], 100, 8, keep_whole=[["2025-12-31"]])
        assert with_date[0] > plain[0]

    def test_too_many_columns_share_the_width_by_their_needs(self) -> None:
        percentages = column_percentages(SEVENTEEN, [1] * 17, 160, 10)
        assert abs(sum(percentages) - 100) < 1e-9
        assert percentages[SEVENTEEN.index("Kontrollaktiviteter")] == max(percentages)

    def test_no_column_is_wider_than_its_longest_line_needs(self) -> None:
        widest = [["Risk nummer 34"], ["Kommentar vid uppföljningen. " * 6]]
        capped = column_percentages(["Risk", "Kommentar"], [50, 50], 160, 8.5, widest=widest)
        [needed] = maximum_widths(["Risk"], 8.5, widest[:1])
        assert abs(capped[0] * 1.6 - needed) < 1e-9
        assert abs(sum(capped) - 100) < 1e-9

    def test_when_every_column_has_room_the_spare_is_shared_by_weight(self) -> None:
        widest = [["1"], ["Kort"]]
        shares = column_percentages(["Nr", "Text"], [1, 3], 160, 8.5, widest=widest)
        needs = maximum_widths(["Nr", "Text"], 8.5, widest)
        spare = (160 - sum(needs)) / 4
        assert [round(p * 1.6, 6) for p in shares] == [
            round(needs[0] + spare, 6),
            round(needs[1] + 3 * spare, 6),
        ]

    def test_it_tells_whether_the_header_words_fit(self) -> None:
        assert fits(SEVENTEEN, 247, 7)
        assert not fits(SEVENTEEN, 160, 7)

    def test_whole_per_cents_add_up_to_a_hundred_and_keep_the_minimums(self) -> None:
        assert whole_percentages([33.4, 33.3, 33.3]) == [34, 33, 33]
        assert whole_percentages([10.2, 10.2, 79.6], [10.2, 10.2, 0]) == [11, 11, 78]
        assert whole_percentages([]) == []


class DemoReportsTests(TestCase):
    """Every report kind of the demo's largest committee, as PDF, gets the same checks."""

    period = "T2"

    @classmethod
    def load(cls) -> ControlPlan:
        call_command("demo", quiet_logins=True, stdout=io.StringIO())
        return ControlPlan.objects.select_related("unit").get(unit__external_id="sn", year=2025)

    @classmethod
    def setUpTestData(cls) -> None:
        plan = cls.load()
        cls.reports = {}
        with translation.override("sv"):
            for kind, spec in KINDS.items():
                period = cls.period if spec.takes_period else None
                laid_out = lay_out(kind, plan, period, None)
                content = make(kind, plan, fmt="pdf", period_code=period).content
                cls.reports[kind] = (laid_out, pages.read(content))

    def test_every_page_is_a4_with_no_word_past_the_margins(self) -> None:
        for kind, (_, printed) in self.reports.items():
            assert pages.not_a4(printed) == [], kind
            assert pages.words_past_margins(printed) == [], kind

    def test_no_heading_or_caption_is_left_at_a_page_bottom(self) -> None:
        for kind, (laid_out, printed) in self.reports.items():
            assert pages.headings_at_page_bottom(printed, headings(laid_out)) == [], kind

    def test_every_table_header_word_appears_whole(self) -> None:
        for kind, (laid_out, printed) in self.reports.items():
            assert pages.broken_words(printed, header_words(laid_out)) == [], kind

    def test_the_overview_lays_its_committees_on_landscape_pages(self) -> None:
        _, printed = self.reports["overview"]
        assert any(page.landscape for page in printed)


class CareCommitteeReportsTests(DemoReportsTests):
    """The same checks on a real committee's plan, imported (five risks, eleven actions)."""

    period = "VB"

    @classmethod
    def load(cls) -> ControlPlan:
        import_fixture("care_follow_up.json")
        return ControlPlan.objects.select_related("unit").get(unit__external_id="on")


class SocialCommitteeReportsTests(DemoReportsTests):
    """And on another: recommendations from two audits, a plan of four reviewed risks."""

    @classmethod
    def load(cls) -> ControlPlan:
        import_fixture("social_follow_up.json")
        return ControlPlan.objects.select_related("unit").get(unit__external_id="snn")
