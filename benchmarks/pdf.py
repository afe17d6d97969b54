"""How long the PDF of a 200-risk committee takes, and what each costly CSS choice adds.

Run with `.venv/bin/python benchmarks/pdf.py [--repeat N] [--variants] [--risks N]`. It builds
a synthetic `Document` in memory (no database), shaped as the risk picture of
benchmarks/reports.py's generated committee: the matrix, then on landscape pages eight risk
areas' tables of 25 risks, and their tables of 75 actions. It prints seconds (processor time,
which other programs on the machine disturb less than wall time, and wall time) for making the
HTML, laying it out (WeasyPrint) and writing the PDF, and the seconds per page; with --variants
the same with one CSS choice undone at a time. Not a test: nothing is asserted.
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
    Value,
    number_sections,
)
from internkontroll.reports.matrix import (  # noqa: E402
    LevelKey,
    MatrixCell,
    MatrixPicture,
    text_color_for,
)
from internkontroll.reports.render.html import render_html  # noqa: E402
from internkontroll.reports.render.pdf import ReportHTML, local_fetcher  # noqa: E402

RISKS, ACTIONS_PER_RISK, AREAS = 200, 3, 8
LEVELS = [("Låg", "#2e7d32"), ("Medel", "#f9a825"), ("Hög", "#ef6c00"), ("Kritisk", "#c62828")]
STATUSES = ["Ej påbörjad (försenad)", "Pågående (försenad)", "Avslutad"]

# Each undoes one choice of document.css (or sets a WeasyPrint option), to show its cost.
VARIANTS: dict[str, str] = {
    "no hyphenation": ".report, .report td { hyphens: manual }",
    "hyphenate every line": ".report { hyphenate-limit-zone: 0 }",
    "no overflow-wrap": ".report, .report th, .report td { overflow-wrap: normal }",
    "rows may split": ".report tr { break-inside: auto }",
    "separate borders": ".report table.grid { border-collapse: separate; border-spacing: 0 }",
    "white-space normal": ".report th, .report td { white-space: normal }",
    "DejaVu Sans": '.report-page { font-family: "DejaVu Sans", sans-serif }',
    "tagged PDF (option)": "",
    "whole UA sheet": "",  # WeasyPrint's own user agent sheet, with footnotes and notes
}


def picture() -> MatrixPicture:
    keys = [LevelKey(name, color, text_color_for(color)) for name, color in LEVELS]
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
    """The risk picture as the layout makes it for benchmarks/reports.py's generated committee:
    per risk area a table of its risks and one of their actions, both on landscape pages."""
    description = "Beskrivning av risken. " * 8
    consequence = "Vad som händer. " * 6
    comment = "2025-09-10: " + "Kommentar vid uppföljningen. " * 4
    due = datetime.date(2025, 12, 31)
    risks: list[list[Value]] = [
        [
            f"Risk nummer {n}",
            description,
            consequence,
            "Befintliga kontroller.",
            f"{LEVELS[n % 4][0]} (Möjlig × Kännbar)",
            "Hantera med åtgärder, granska i internkontrollplanen" if n % 5 == 0 else "Hantera",
        ]
        for n in range(RISKS)
    ]
    risk_areas, action_areas = [], []
    for area in range(AREAS):
        mine = range(area, RISKS, AREAS)
        risk_table = Table(
            "Risker",
            [
                "Risk",
                "Riskbeskrivning",
                "Konsekvensbeskrivning",
                "Befintliga kontroller",
                "Risknivå",
                "Hantering",
            ],
            [risks[n] for n in mine],
            [18, 24, 20, 18, 12, 14],
            show_title=False,
        )
        action_table = Table(
            "Åtgärder",
            ["Risk", "Åtgärd", "Ansvarig", "Slutdatum", "Status", "Kommentar för perioden"],
            [
                [
                    f"Risk nummer {n}",
                    f"Åtgärd {m} för Risk nummer {n}",
                    "",
                    due,
                    STATUSES[m],
                    comment,
                ]
                for n in mine
                for m in range(ACTIONS_PER_RISK)
            ],
            [16, 26, 12, 10, 11, 25],
            show_title=False,
        )
        risk_areas.append(Section(f"Riskområde: Område {area}", 2, [risk_table]))
        action_areas.append(Section(f"Riskområde: Område {area}", 2, [action_table]))
    summary = "Tvåhundra risker har identifierats och ingår i den samlade riskbilden. " * 2
    sections = [
        Section("Inledning", 1, [Paragraph("Enligt kommunallagen (2017:725) 6 kap. 6 §. " * 4)]),
        Section("Sammanfattning", 1, [Paragraph(summary)]),
        Section("Riskmatris", 1, [Figure(picture())]),
        Section("Samlad riskbild", 1, children=risk_areas, landscape=True),
        Section("Åtgärder", 1, children=action_areas, landscape=True),
    ]
    number_sections(sections)
    return Document(
        title="Samlad riskbild 2025",
        subtitle="Stora nämnden",
        running_head="Stora nämnden · Dnr S-1",
        author="Exempelkommun",
        meta=[("Nämnd", "Stora nämnden"), ("Diarienummer", "S-1")],
        summary=[],
        sections=sections,
        sheets=[],
        filename_stem="samlad-riskbild-stora-namnden-2025",
    )


def timed(
    html: str, extra_css: str = "", maker: type[HTML] = ReportHTML, **options: object
) -> tuple[float, float, float, int]:
    """Processor seconds to lay out and to write, wall seconds for both, and the pages."""
    if extra_css:
        html = html.replace("</head>", f"<style>{extra_css}</style></head>", 1)
    wall, start = time.perf_counter(), time.process_time()
    rendered = maker(string=html, url_fetcher=local_fetcher()).render(**options)
    laid_out = time.process_time()
    rendered.write_pdf(**options)
    written = time.process_time()
    return laid_out - start, written - laid_out, time.perf_counter() - wall, len(rendered.pages)


def main() -> None:
    global RISKS
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--risks", type=int, default=RISKS)
    parser.add_argument("--variants", action="store_true", help="also time each CSS variant")
    args = parser.parse_args()
    RISKS = args.risks
    translation.activate("sv")
    laid = document()
    start = time.perf_counter()
    html = render_html(laid)
    print(f"{RISKS} risks × {ACTIONS_PER_RISK} actions; HTML {time.perf_counter() - start:.2f} s")
    timed(html)  # warm up fonts and dictionaries
    runs: dict[str, tuple[str, type[HTML], dict[str, object]]] = {"as made": ("", ReportHTML, {})}
    if args.variants:
        runs |= {name: (css, ReportHTML, {}) for name, css in VARIANTS.items() if css}
        runs["tagged PDF (option)"] = ("", ReportHTML, {"pdf_tags": True})
        runs["whole UA sheet"] = ("", HTML, {})
    print(f"{'':<22}{'layout':>8}{'write':>8}{'total':>8}{'wall':>8}{'pages':>7}{'s/page':>8}")
    for name, (css, maker, options) in runs.items():
        results = [timed(html, css, maker, **options) for _ in range(args.repeat)]
        layout, write, wall = (statistics.median(r[i] for r in results) for i in range(3))
        pages = results[0][3]
        print(
            f"{name:<22}{layout:8.2f}{write:8.2f}{layout + write:8.2f}{wall:8.2f}{pages:7d}"
            f"{(layout + write) / pages:8.3f}"
        )
    print("seconds of processor time (wall: elapsed), median of", args.repeat)


if __name__ == "__main__":
    main()
