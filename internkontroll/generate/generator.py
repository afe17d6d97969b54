"""Generating a profile's organisations, one transaction each, so memory stays bounded.

On PostgreSQL several organisations are built at once, each in its own process and
connection, so that the generator's Python and the database's work share the cores.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.utils import timezone

from internkontroll.accounts.models import User
from internkontroll.generate.bulk import BulkWriter
from internkontroll.generate.organisations import (
    OrganisationBuilder,
    Summary,
    login_prefix,
    organisation_names,
)
from internkontroll.generate.profiles import Profile
from internkontroll.organisation.models import Organisation

# Every generated user's password unless another is given: synthetic data, never production.
GENERATED_PASSWORD = "generera-internkontroll"  # noqa: S105 - printed with the logins


class NameTaken(Exception):
    """An organisation of the profile and seed, or its people, is already in the database."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


@dataclass
class Count:
    """Rows written for a model (or a many-to-many field), and its history rows."""

    label: str
    rows: int = 0
    history: int | None = None  # None when the model keeps no history


@dataclass(frozen=True)
class Task:
    profile: Profile
    name: str
    seed: int
    position: int
    password_hash: str
    now: datetime.datetime


@dataclass
class Result:
    organisations: list[Summary] = field(default_factory=list)
    counts: dict[str, Count] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)
    seconds: float = 0.0

    def add(self, summary: Summary, counts: list[Count], tables: list[str]) -> None:
        self.organisations.append(summary)
        self.tables.update(tables)
        for count in counts:
            total = self.counts.setdefault(count.label, Count(count.label))
            total.rows += count.rows
            if count.history is not None:
                total.history = (total.history or 0) + count.history


# Processes at most by default: each holds a database connection.
MAX_DEFAULT_JOBS = 8


def default_jobs() -> int:
    """Processes to build with: one per core on PostgreSQL; one on SQLite's single writer."""
    if connection.vendor != "postgresql":
        return 1
    return min(os.cpu_count() or 1, MAX_DEFAULT_JOBS)


def generate(
    profile: Profile,
    *,
    seed: int,
    organisations: int | None = None,
    password: str = GENERATED_PASSWORD,
    jobs: int = 1,
    on_organisation: Callable[[int, int, Summary, float], None] | None = None,
    on_year: Callable[[int, Summary], None] | None = None,
) -> Result:
    """Write the profile's organisations (or the first `organisations` of them)."""
    started = time.monotonic()
    names = organisation_names(profile, seed)[:organisations]
    taken = set(Organisation.objects.filter(name__in=names).values_list("name", flat=True))
    # Every generated organisation has its administrator; the others' logins come with it.
    admins = {f"{login_prefix(name)}admin": name for name in names}
    existing = User.objects.filter(username__in=admins).values_list("username", flat=True)
    taken.update(admins[username] for username in existing)
    if taken:
        raise NameTaken(sorted(taken))
    password_hash = make_password(password)
    now = timezone.now()
    tasks = [
        Task(profile, name, seed, position, password_hash, now)
        for position, name in enumerate(names)
    ]
    result = Result()

    def done(outcome: tuple[Summary, list[Count], list[str]]) -> None:
        result.add(*outcome)
        if on_organisation is not None:
            elapsed = time.monotonic() - started
            on_organisation(len(result.organisations), len(tasks), outcome[0], elapsed)

    apart = jobs > 1 and len(tasks) > 1 and not connection.in_atomic_block
    if apart and connection.vendor == "postgresql":
        # The children open their own connections; none may share the parent's.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for outcome in pool.imap_unordered(_build_apart, tasks):
                done(outcome)
    else:
        for task in tasks:
            done(build(task, on_year=on_year))
    result.organisations.sort(key=lambda summary: names.index(summary.name))
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner knows the tables' new sizes at once.
        with connection.cursor() as cursor:
            for table in sorted(result.tables):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    result.seconds = time.monotonic() - started
    return result


def build(
    task: Task, on_year: Callable[[int, Summary], None] | None = None
) -> tuple[Summary, list[Count], list[str]]:
    """One organisation, written and committed (or, inside a transaction, saved to it)."""
    writer = BulkWriter()
    with transaction.atomic(), writer:
        builder = OrganisationBuilder(
            writer,
            task.profile,
            name=task.name,
            seed=task.seed,
            position=task.position,
            password_hash=task.password_hash,
            now=task.now,
        )
        summary = builder.build(on_year=on_year)
        writer.flush()
    return summary, counts(writer), list(writer.sinks)


def _build_apart(task: Task) -> tuple[Summary, list[Count], list[str]]:
    try:
        return build(task)
    finally:
        connections.close_all()


def counts(writer: BulkWriter) -> list[Count]:
    found: list[Count] = []
    for model, table in writer.tables.items():
        label = str(model._meta.verbose_name_plural)
        history = table.history.sink.written if table.history is not None else None
        found.append(Count(label, table.sink.written, history))
        for links in table.m2m.values():
            link_label = f"{label}: {links.field.verbose_name}"
            history = links.history[1].written if links.history is not None else None
            found.append(Count(link_label, links.sink.written, history))
    return found
