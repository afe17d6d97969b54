"""How long the Word renderer takes for a 200-risk committee, 3 actions per risk.

Run with `.venv/bin/python benchmarks/word.py`. It builds a synthetic `Document` in memory (a
summary, the risk matrix, the samlad riskbild list on landscape pages and a section per risk
with its fields, actions and control activity), renders it a few times and prints seconds.
No database is needed. Not a test: nothing is asserted.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")

import django

django.setup()

from django.utils import translation  # noqa: E402

from internkontroll.reports.document import (  # noqa: E402
    Document,
    Fields,
    Figure,
    Paragraph,
    Section,
    Table,
    number_sections,
)
from internkontroll.reports.matrix import LevelKey, MatrixCell, MatrixPicture  # noqa: E402
from internkontroll.reports.render.docx import render_docx  # noqa: E402

RISKS, ACTIONS_PER_RISK, RUNS = 200, 3, 5
LEVELS = [
    LevelKey("Låg", "#8bc34a", "#000000"),
    LevelKey("Medel", "#ffeb3b", "#000000"),
    LevelKey("Hög", "#ff9800", "#000000"),
    LevelKey("Kritisk", "#c62828", "#ffffff"),
]
STATUSES = ["Ej påbörjad", "Pågående", "Avslutad"]


def level(probability: int, consequence: int) -> LevelKey:
    score = probability * consequence
    return LEVELS[0 if score <= 2 else 1 if score <= 6 else 2 if score <= 9 else 3]


def picture() -> MatrixPicture:
    rows = [
        [MatrixCell(p, c, RISKS // 16, level(p, c)) for c in range(1, 5)] for p in range(4, 0, -1)
    ]
    return MatrixPicture(
        ["Osannolik", "Möjlig", "Sannolik", "Mycket sannolik"],
        ["Försumbar", "Lindrig", "Allvarlig", "Mycket allvarlig"],
        rows,
        LEVELS,
        assessed=RISKS,
        unassessed=0,
    )


def risk_section(number: int) -> Section:
    title = f"Risk nummer {number}"
    actions = Table(
        "Åtgärder",
        ["Åtgärd", "Ansvarig", "Slutdatum", "Status", "Kommentar vid senaste uppföljning"],
        [
            [
                f"Åtgärd {m} för {title}",
                "Enhetschef",
                datetime.date(2025, 12, 31),
                STATUSES[m],
                "Kommentar vid uppföljningen. " * 4,
            ]
            for m in range(ACTIONS_PER_RISK)
        ],
        [10, 5, 4, 4, 12],
    )
    activity = Table(
        "Kontrollaktiviteter",
        ["Kontrollaktivitet", "Metod", "Ansvarig", "Resultat"],
        [[f"Kontroll av {title}", "Stickprov", "Controller", "Inga anmärkningar."]],
        [10, 5, 5, 10],
    )
    fields = Fields(
        [
            ("Riskbeskrivning", "Beskrivning av risken. " * 8),
            ("Konsekvensbeskrivning", "Vad som händer. " * 6),
            ("Befintliga kontroller", "Befintliga kontroller."),
        ]
    )
    return Section(title, 3, [fields, actions, activity])


def document() -> Document:
    overview = Table(
        "Samlad riskbild",
        ["Id", "Risk", "Ansvarig enhet", "Risknivå", "Riskvärde", "Åtgärder", "Status"],
        [
            [f"r-{n}", f"Risk nummer {n}", "Socialförvaltningen", "Hög", 9, 3, "Pågående"]
            for n in range(RISKS)
        ],
        [3, 12, 8, 5, 4, 4, 5],
        show_title=False,
    )
    areas = [
        Section(f"Område {area}", 2, children=[risk_section(n) for n in range(area, RISKS, 8)])
        for area in range(8)
    ]
    sections = [
        Section("Sammanfattning", 1, [Paragraph("Tvåhundra risker har identifierats.")]),
        Section("Riskmatris", 1, [Figure(picture())]),
        Section("Samlad riskbild", 1, [overview], landscape=True),
        Section("Risker och åtgärder", 1, children=areas),
    ]
    number_sections(sections)
    return Document(
        title="Uppföljning av internkontrollplan och samlad riskbild 2025",
        subtitle="Stora nämnden – uppföljning per tertial 2",
        running_head="Stora nämnden · S-1",
        author="Exempelstad",
        meta=[("Nämnd", "Stora nämnden"), ("Diarienummer", "S-1")],
        summary=["Tvåhundra risker har identifierats."],
        sections=sections,
        sheets=[],
        filename_stem="uppfoljning-stora-namnden-2025",
    )


def main() -> None:
    with translation.override("sv"):
        laid_out = document()
        render_docx(laid_out)  # the first run reads the template and warms the caches
        seconds = []
        for _ in range(RUNS):
            start = time.perf_counter()
            content = render_docx(laid_out)
            seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    print(
        f"Word, {RISKS} risks × {ACTIONS_PER_RISK} actions: median {median:.3f} s, "
        f"max {max(seconds):.3f} s over {RUNS} runs; {len(content) // 1024} kB"
    )


if __name__ == "__main__":
    main()
