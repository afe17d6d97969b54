"""How long the PDF of a 200-risk committee takes, and what each costly CSS choice adds.

Run with `.venv/bin/python benchmarks/pdf.py [--repeat N] [--variants]`. It builds a synthetic
`Document` in memory (no database): a summary, the matrix, eight risk areas with a table of
their 25 risks and one of their 75 actions, and the samlad riskbild list of all 200 risks on
landscape pages. It prints seconds for making the HTML, laying it out (WeasyPrint) and writing
the PDF, and with --variants the same with one CSS choice undone at a time. Not a test.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("IK_DATA_DIR", tempfile.mkdtemp(prefix="ik-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")

import django

django.setup()

from django.utils import translation  # noqa: E402
from weasyprint import HTML  # noqa: E402

from internkontroll.reports.document import (  # noqa: E402
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    number_sections,
)
from internkontroll.reports.matrix import (  # noqa: E402
    LevelKey,
    MatrixCell,
    MatrixPicture,
    text_color_for,
)
from internkontroll.reports.render.html import render_html  # noqa: E402
from internkontroll.reports.render.pdf import local_fetcher  # noqa: E402

RISKS, ACTIONS_PER_RISK, AREAS = 200, 3, 8
LEVELS = [("Låg", "#2e7d32"), ("Medel", "#f9a825"), ("Hög", "#ef6c00"), ("Kritisk", "#c62828")]
STATUSES = ["Ej påbörjad", "Pågående", "Avslutad"]

# Each undoes one choice of document.css (or sets a WeasyPrint option), to show its cost.
VARIANTS: dict[str, str] = {
    "no hyphenation": ".report, .report td { hyphens: manual }",
    "no overflow-wrap": ".report, .report th, .report td { overflow-wrap: normal }",
    "rows may split": ".report tr { break-inside: auto }",
    "border-collapse": ".report table.grid { border-collapse: collapse; border: .5pt solid #777 }",
    "white-space normal": ".report th, .report td { white-space: normal }",
    "DejaVu Sans": '.report-page { font-family: "DejaVu Sans", sans-serif }',
    "tagged PDF (option)": "",
}


def picture() -> MatrixPicture:
    keys = [LevelKey(name, name[:2], color, text_color_for(color)) for name, color in LEVELS]
    rows = [
        [MatrixCell(p, c, (p * c * 7) % 23, keys[min(3, (p * c - 1) // 4)]) for c in range(1, 5)]
        for p in range(4, 0, -1)
    ]
    return MatrixPicture(
        probability_labels=["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"],
        consequence_labels=["Försumbar", "Lindrig", "Allvarlig", "Mycket allvarlig"],
        rows=rows,
        legend=keys,
        assessed=RISKS,
        unassessed=0,
    )


def document() -> Document:
    description = "Risk för att ansökningar handläggs utan fullständigt underlag. " * 3
    consequence = "Felaktiga utbetalningar och förtroendeskada. " * 2
    comment = "Stickprov av tjugo ärenden har genomförts; två saknade underlag. " * 2
    due = datetime.date(2025, 12, 31)
    risks = [
        [
            f"Risk {n}: felaktiga utbetalningar av ekonomiskt bistånd",
            description,
            consequence,
            f"{1 + n % 4} × {1 + n // 4 % 4}",
            LEVELS[n % 4][0],
            "Hantera, granska" if n % 5 == 0 else "Hantera",
            comment,
        ]
        for n in range(RISKS)
    ]
    areas = []
    for area in range(AREAS):
        mine = range(area, RISKS, AREAS)
        risk_table = Table(
            "Risker",
            ["Risk", "Riskbeskrivning", "Riskvärde", "Risknivå"],
            [[risks[n][0], risks[n][1], risks[n][3], risks[n][4]] for n in mine],
            [30, 50, 10, 10],
        )
        action_table = Table(
            "Åtgärder",
            ["Risk", "Åtgärd", "Status", "Slutdatum", "Kommentar för perioden", "Datum"],
            [
                [f"Risk {n}", f"Åtgärd {m} för risk {n}", STATUSES[m], due, comment, due]
                for n in mine
                for m in range(ACTIONS_PER_RISK)
            ],
            [14, 24, 12, 12, 40, 12],
        )
        areas.append(Section(f"Område {area + 1}", 2, [risk_table, action_table]))
    sections = [
        Section("Sammanfattning", 1, [Paragraph("Tvåhundra risker har identifierats. " * 4)]),
        Section("Riskmatris", 1, [Figure(picture())]),
        Section("Risker och åtgärder per område", 1, children=areas),
        Section(
            "Samlad riskbild",
            1,
            [
                Table(
                    "Samlad riskbild",
                    [
                        "Risk",
                        "Riskbeskrivning",
                        "Konsekvens",
                        "Riskvärde",
                        "Risknivå",
                        "Hantering",
                        "Kommentar",
                    ],
                    risks,
                    [24, 40, 30, 9, 9, 12, 30],
                    show_title=False,
                )
            ],
            landscape=True,
        ),
    ]
    number_sections(sections)
    return Document(
        title="Uppföljning av internkontrollplan och samlad riskbild",
        subtitle="Stora nämnden – Uppföljning per tertial 2 (maj–augusti)",
        running_head="Stora nämnden · SN-2025/1",
        author="Exempelkommun",
        meta=[("Nämnd", "Stora nämnden"), ("Diarienummer", "SN-2025/1")],
        summary=[],
        sections=sections,
        sheets=[],
        filename_stem="uppfoljning-stora-namnden-2025-t2",
    )


def timed(html: str, extra_css: str = "", **options: object) -> tuple[float, float, int]:
    if extra_css:
        html = html.replace("</head>", f"<style>{extra_css}</style></head>", 1)
    start = time.perf_counter()
    rendered = HTML(string=html, url_fetcher=local_fetcher()).render(**options)  # type: ignore[arg-type]
    laid_out = time.perf_counter()
    rendered.write_pdf()
    return laid_out - start, time.perf_counter() - laid_out, len(rendered.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", action="store_true", help="also time each CSS variant")
    args = parser.parse_args()
    translation.activate("sv")
    laid = document()
    start = time.perf_counter()
    html = render_html(laid)
    print(f"{RISKS} risks × {ACTIONS_PER_RISK} actions; HTML {time.perf_counter() - start:.2f} s")
    timed(html)  # warm up fonts and dictionaries
    runs = {"baseline": ("", {})}
    if args.variants:
        runs |= {name: (css, {}) for name, css in VARIANTS.items() if css}
        runs["tagged PDF (option)"] = ("", {"pdf_tags": True})
    for name, (css, options) in runs.items():
        results = [timed(html, css, **options) for _ in range(args.repeat)]
        layout = statistics.median(r[0] for r in results)
        write = statistics.median(r[1] for r in results)
        print(
            f"{name:<22} layout {layout:5.2f} s  write {write:5.2f} s  "
            f"total {layout + write:5.2f} s  {results[0][2]} pages"
        )


if __name__ == "__main__":
    main()
