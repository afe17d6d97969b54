"""How long a search takes over 10,000 risks (with their actions and control activities).

Run with `.venv/bin/python benchmarks/search.py` for SQLite, and with
`DATABASE_URL=postgres://… .venv/bin/python benchmarks/search.py` for PostgreSQL. It builds a
throwaway database (the test runner's, so a server's own databases are untouched), writes
10 committees of 1,000 risks in bulk, and prints milliseconds per search (median and slowest
of a few runs) for a reader of the whole organisation and for one committee's coordinator. On
PostgreSQL it also prints the same searches computing the vectors at query time, as search
did before the stored vector. Not a test: nothing is asserted.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("IK_DATA_DIR", tempfile.mkdtemp(prefix="ik-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")

import django

django.setup()

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import QuerySet  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from internkontroll.accounts.models import Role  # noqa: E402
from internkontroll.controls.models import ControlActivity  # noqa: E402
from internkontroll.risks.models import Action, Risk  # noqa: E402
from internkontroll.search import queries  # noqa: E402
from internkontroll.test import make_organisation, make_plan, make_unit, make_user  # noqa: E402

COMMITTEES, RISKS_PER_COMMITTEE, RUNS = 10, 1_000, 15
WORDS = [
    "utbetalningar", "attest", "delegation", "upphandling", "avtal", "fakturor", "bisysslor",
    "jäv", "skolskjutsar", "försörjningsstöd", "hemtjänst", "behörigheter", "löner", "inköp",
    "informationssäkerhet", "representation", "dokumentation", "rutiner", "kontroll", "brister",
    "felaktiga", "ofullständiga", "otillräcklig", "uppföljning", "avvikelser", "ekonomi",
    "personal", "arbetsmiljö", "sekretess", "diarieföring", "registrering", "bidrag",
    "ansökningar", "verkställighet", "beslut", "handläggning", "tillsyn", "placeringar",
    "familjehem", "rekrytering", "lokaler", "fordon", "bokföring", "kassa",
]  # fmt: skip
# Texts draw on the words and their compounds ("attestrutiner"), the first far more often.
VOCABULARY = WORDS + [a + b for a in WORDS for b in WORDS if a != b]
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
SEARCHES = ("attest", "mutor upphandling", "utbet", "familjehem placeringar", "zzzyx")


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(VOCABULARY, WEIGHTS, k=words)).capitalize() + "."


def build() -> tuple[Any, Any, float]:
    rng = random.Random(10)  # noqa: S311 (synthetic text, not secrets)
    organisation = make_organisation("Riksby")
    committees = [
        make_unit(organisation, f"n-{n}", "committee", name=f"Nämnd {n}") for n in range(COMMITTEES)
    ]
    start = time.perf_counter()
    for committee in committees:
        plan = make_plan(committee)
        risks = Risk.objects.bulk_create(
            Risk(
                plan=plan,
                external_id=f"r-{n}",
                title=sentence(rng, 4) if n % 200 else "Mutor vid upphandling av fordon",
                description=sentence(rng, 25),
                consequence_description=sentence(rng, 12),
                existing_controls=sentence(rng, 8),
            )
            for n in range(RISKS_PER_COMMITTEE)
        )
        Action.objects.bulk_create(
            Action(risk=risk, external_id=f"a-{m}", title=sentence(rng, 5))
            for risk in risks
            for m in range(2)
        )
        ControlActivity.objects.bulk_create(
            ControlActivity(risk=risk, external_id="k", title=sentence(rng, 5)) for risk in risks
        )
    written = time.perf_counter() - start
    if connection.vendor == "postgresql":
        # What autovacuum does after such a load: statistics, and the GIN indexes' pending
        # entries merged (until then the planner prices the indexes high and scans the table).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    reader = make_user("lasare", organisation, [(Role.READER, None)])
    coordinator = make_user("samordnare", organisation, [(Role.COORDINATOR, committees[0])])
    return reader, coordinator, written


def computed_at_query_time(queryset: QuerySet[Any], fields: tuple[str, ...], text: str) -> Any:
    """The same search computing the vectors at query time, as before the stored vector."""
    title, *rest = fields
    vector = SearchVector(title, config="swedish", weight="A") + SearchVector(
        *rest, config="swedish", weight="B"
    )
    query = SearchQuery(queries.prefix_query(text), config="swedish", search_type="raw")
    return (
        queryset.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(document=query)
        .order_by("-rank", "-pk")
    )


def milliseconds(run: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def report(users: dict[str, Any], runs: int = RUNS) -> None:
    print(f"{'search':<26}" + "".join(f"{name:>24}" for name in users))
    for text in SEARCHES:
        cells = []
        for user in users.values():
            hits = sum(len(group.hits) for group in queries.search(user, text))
            median, slowest = milliseconds(partial(queries.search, user, text), runs)
            cells.append(f"{median:7.1f} ms (max {slowest:5.1f}) {hits:>3}")
        print(f"{text:<26}" + "".join(f"{cell:>24}" for cell in cells))


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        reader, coordinator, written = build()
        risks = Risk.objects.count()
        print(f"{connection.vendor}: {risks} risks, {Action.objects.count()} actions, "
              f"{ControlActivity.objects.count()} control activities "
              f"written in bulk in {written:.1f} s")  # fmt: skip
        users = {"whole organisation": reader, "one committee": coordinator}
        print("\nmilliseconds per search (every kind, first page), hits shown")
        report(users)
        if connection.vendor == "postgresql":
            print("\nthe same, computing the vectors at query time (before)")
            stored = queries.matching
            queries.matching = computed_at_query_time
            try:
                report(users, runs=3)
            finally:
                queries.matching = stored
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
