"""Writing many rows at once, each with its history row: COPY on PostgreSQL, batched inserts
elsewhere (SQLite), where the history row of a row written as created is copied from it by the
database (see `_History`).

Primary keys are handed out here (reserved from the table's own sequence on PostgreSQL), so a
child can name its parent before either is written. Foreign keys are deferred to the commit on
both databases; tables are still sent parents first, because SQLite, while any reference is
unresolved, looks up the children of every row it inserts. Check and unique constraints hold
per row.

Inside a transaction the batches gathered along the way are sent from a thread of their own, on
the transaction's connection, while the next batch is built: the database's work (PostgreSQL's
triggers and indexes, SQLite's inserting, done without Python's lock) then overlaps Python's.
`flush` waits for them; `close` (or leaving the writer's `with` block) must come before the
transaction ends.
"""

from __future__ import annotations

import datetime
import json
import queue
import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from functools import partial
from itertools import chain
from operator import itemgetter
from typing import Any, TypeAlias

import psycopg
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models
from psycopg.types.json import Jsonb

# Rows held per table before they are sent to the database: few enough that the database
# works on one batch while the next is built, from early on.
BATCH_ROWS = 5_000
# Batches waiting for the sending thread, at most: what bounds memory when the database is slower.
WAITING_BATCHES = 8
# Parameters per statement on SQLite, where the library allows as many (32,766 since 3.32):
# fewer statements are slower, and the rows of a small import fit in one per table.
STATEMENT_PARAMETERS = 4_000
# Primary keys reserved at a time from a PostgreSQL sequence, at first and at most (each block
# twice the last: a large import asks seldom, and waits seldom behind a COPY); gaps are harmless.
ID_BLOCK = 5_000
MAX_ID_BLOCK = 80_000
# Rows in step (see `_runs`) that SQLite copies to the history as a range rather than one by one.
MIN_RUN = 16

Row = tuple[Any, ...]
# A JSON field's value as SQLite stores it: `json.dumps(value, ensure_ascii=False)`, without
# making an encoder for every value.
_JSON_TEXT = json.JSONEncoder(ensure_ascii=False).encode
HISTORY_FIELDS = (
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)


Field: TypeAlias = "models.Field[Any, Any]"


def _concrete(model: type[models.Model]) -> dict[str, Field]:
    """The model's stored columns by attribute name (`plan_id`), computed ones left out."""
    return {
        field.attname: field
        for field in model._meta.concrete_fields
        if not isinstance(field, models.GeneratedField)
    }


def _column(field: Field) -> str:
    return str(field.column)


class Ids:
    """The primary keys of one table, taken in blocks: from PostgreSQL's sequence itself, else
    past the largest key ever used (SQLite's AUTOINCREMENT counter included)."""

    def __init__(self, connection: Any, table: str, column: str) -> None:
        self.connection = connection
        self.table = table
        self.column = column
        self.block: list[int] = []
        self.position = 0
        self.next_id = 0
        self.block_size = ID_BLOCK
        self.sequence: str | None = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                self.sequence = cursor.fetchone()[0]

    def take(self) -> int:
        if self.sequence is None:
            if not self.next_id:
                self.next_id = self._past_largest()
            taken = self.next_id
            self.next_id += 1
            return taken
        if self.position == len(self.block):
            self._reserve()
        taken = self.block[self.position]
        self.position += 1
        return taken

    def _reserve(self) -> None:
        # Every key is the sequence's own `nextval`, so neither another process generating
        # beside this one nor an ordinary insert can be handed the same key. (Moving the
        # sequence past a block with `setval` is not atomic with reading it.)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequence, self.block_size]
            )
            self.block = [row[0] for row in cursor.fetchall()]
        self.position = 0
        self.block_size = min(2 * self.block_size, MAX_ID_BLOCK)

    def _past_largest(self) -> int:
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote(self.column)}) FROM {quote(self.table)}")  # noqa: S608 - names from the models
            largest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            counter = cursor.fetchone()
        # SQLite has one writer at a time: inside our transaction everything above is ours.
        return max(largest, counter[0] if counter else 0) + 1


class Sink:
    """Rows bound for one database table, sent when enough have gathered.

    PostgreSQL gets them through binary COPY when it knows every column's type (it parses
    less), through text COPY otherwise; other databases through inserts of many rows each.
    """

    def __init__(self, writer: BulkWriter, table: str, fields: Sequence[Field]) -> None:
        self.writer = writer
        self.table = table
        self.columns = tuple(str(field.column) for field in fields)
        self.types: list[str] | None = None
        if writer.connection.vendor == "postgresql":
            types = [re.sub(r"\(.*\)", "", str(f.db_type(writer.connection))) for f in fields]
            if all(psycopg.adapters.types.get(name) is not None for name in types):
                self.types = types
        # The tables this one's foreign key constraints point at.
        self.references = frozenset(
            str(field.related_model._meta.db_table)
            for field in fields
            if isinstance(field, models.ForeignKey)
            and getattr(field, "db_constraint", True)
            and isinstance(field.related_model, type)
        )
        # Never more than a batch, so that a flush leaves fewer rows than make one.
        self.per_statement = max(1, min(writer.batch_rows, writer.max_parameters // len(fields)))
        self.rows: list[Row] = []
        self.written = 0
        # Work that follows the rows sent, given them (a table's history, copied from them).
        self.followers: list[Callable[[list[Row], str], Callable[[Any], None] | None]] = []

    def append(self, row: Row) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.writer.batch_rows:
            self.writer.flush(wait=False)

    def flush(self, sender: _Sender | None = None, *, whole_statements: bool = False) -> None:
        """Send the rows gathered: through `sender`'s thread if given, else here and now.

        With `whole_statements`, rows too few to fill an insert wait for the next flush: each
        statement of a table is then the same one, which SQLite compiles once."""
        rows, self.rows = self.rows, []
        connection = self.writer.connection
        if whole_statements and connection.vendor != "postgresql":
            kept = len(rows) % self.per_statement
            if kept:
                rows, self.rows = rows[:-kept], rows[-kept:]
        if not rows:
            return
        self.written += len(rows)
        quote = connection.ops.quote_name
        names = ", ".join(quote(column) for column in self.columns)
        # The sending thread uses the driver's own cursor: qmark placeholders on SQLite.
        placeholder = "?" if sender is not None and connection.vendor == "sqlite" else "%s"
        work: Callable[[Any], None]
        if connection.vendor == "postgresql":
            binary = " (FORMAT BINARY)" if self.types else ""
            statement = f"COPY {quote(self.table)} ({names}) FROM STDIN{binary}"
            work = partial(_copy, statement=statement, types=self.types, rows=rows)
        else:
            work = _Inserts(
                f"INSERT INTO {quote(self.table)} ({names}) VALUES ",  # noqa: S608 - names from the models
                placeholder,
                len(self.columns),
                self.per_statement,
                rows,
            )
        works: list[Callable[[Any], None]] = [work]
        for follow in self.followers:
            follower = follow(rows, placeholder)
            if follower is not None:
                works.append(follower)
        if sender is not None:
            for each in works:
                sender.send(each)
            return
        with connection.cursor() as cursor:
            for each in works:
                each(cursor)


class _Inserts:
    """Rows as inserts of `per_statement` rows each, and one of the rest: SQLite takes about
    half the time of one row per statement. The values are laid out here, in the building
    thread, so that the sending thread has nothing to do but insert."""

    def __init__(
        self, insert: str, placeholder: str, width: int, per_statement: int, rows: list[Row]
    ) -> None:
        self.values = "(" + ", ".join([placeholder] * width) + ")"
        self.insert = insert
        whole = len(rows) - len(rows) % per_statement
        flat = chain.from_iterable
        self.per_statement = per_statement
        self.statements = [
            list(flat(rows[start : start + per_statement]))
            for start in range(0, whole, per_statement)
        ]
        self.rest_rows = len(rows) - whole
        self.rest = list(flat(rows[whole:]))

    def __call__(self, cursor: Any) -> None:
        if self.statements:
            cursor.executemany(self._statement(self.per_statement), self.statements)
        if self.rest_rows:
            cursor.execute(self._statement(self.rest_rows), self.rest)

    def _statement(self, rows: int) -> str:
        return self.insert + ", ".join([self.values] * rows)


def _copy(cursor: Any, *, statement: str, types: list[str] | None, rows: list[Row]) -> None:
    with cursor.copy(statement) as copy:
        if types:
            copy.set_types(types)
        for row in rows:
            copy.write_row(row)


class _Sender:
    """A thread sending batches, in order, on the transaction's own connection (all or nothing
    needs the one transaction), while the building thread goes on: the database's work (and on
    SQLite, whose library lets go of Python's lock while it works, the inserting itself) then
    overlaps Python's. The building thread's own queries wait for the batches under way: psycopg
    lets one thread at a time use a connection, and on SQLite the writer waits for the sending
    before each of Django's queries. The first error stops the sending; it is raised in the
    building thread at the next `send` or `wait`."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.raw = connection.connection  # the driver's connection: Django's is one thread's own
        self.batches: queue.Queue[Callable[[Any], None] | None] = queue.Queue(WAITING_BATCHES)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bulk-copy", daemon=True)
        self.thread.start()

    def send(self, work: Callable[[Any], None]) -> None:
        """Have `work` done with a cursor of the connection, after what was sent before."""
        self._raise()
        self.batches.put(work)

    def wait(self) -> None:
        """Until every batch is sent; the first failure is raised here."""
        self.batches.join()
        self._raise()

    def stop(self) -> None:
        """Send nothing more (what waits is dropped) and end the thread."""
        self.error = self.error or _Stopped()
        self.batches.put(None)
        self.thread.join()

    def _raise(self) -> None:
        if self.error is not None and not isinstance(self.error, _Stopped):
            error, self.error = self.error, _Stopped()
            with self.connection.wrap_database_errors:
                raise error

    def _in_transaction(self) -> bool:
        if isinstance(self.raw, sqlite3.Connection):
            return self.raw.in_transaction
        return self.raw.info.transaction_status not in _NO_TRANSACTION

    def _run(self) -> None:
        while True:
            work = self.batches.get()
            try:
                if work is None:
                    return
                if self.error is not None:
                    continue
                # Never outside the transaction, whatever happened to it meanwhile.
                if not self._in_transaction():
                    raise RuntimeError("the transaction ended before a batch was sent")
                with closing(self.raw.cursor()) as cursor:
                    work(cursor)
            except BaseException as error:  # handed to the building thread
                self.error = error
            finally:
                self.batches.task_done()


_NO_TRANSACTION = frozenset(
    {psycopg.pq.TransactionStatus.IDLE, psycopg.pq.TransactionStatus.UNKNOWN}
)


class _Stopped(Exception):
    """The sender was stopped; nothing is sent any more."""


class Table:
    """One model's rows, each written with its history row ("+", created) and its
    many-to-many links (with theirs)."""

    def __init__(self, writer: BulkWriter, model: type[models.Model], fields: Sequence[str]):
        self.writer = writer
        self.model = model
        meta = model._meta
        concrete = _concrete(model)
        unknown = [name for name in fields if name not in concrete]
        if unknown:
            raise ImproperlyConfigured(f"{meta.label} has no fields {unknown}")
        pk = next(name for name, field in concrete.items() if field.primary_key)
        missing = [f for name, f in concrete.items() if name not in fields and name != pk]
        for field in missing:
            if not field.has_default() and not field.null:
                raise ImproperlyConfigured(f"{meta.label}.{field.name} needs a value")
        ordered = [concrete[pk], *(concrete[name] for name in fields), *missing]
        # Values given per row are converted as they come; the defaults once, here.
        self.converters = [
            (index, converter)
            for index, field in enumerate(ordered[: 1 + len(fields)])
            if (converter := writer.converter(field)) is not None
        ]
        self.defaults = tuple(_default(writer, field) for field in missing)
        # Where the row keeps its version (raised by every edit), if it keeps one.
        self.version = next((i for i, f in enumerate(ordered) if f.attname == "version"), None)
        self.ids = writer.ids_for(model)
        self.sink = writer.sink(meta.db_table, ordered)
        self.history: _History | None = None
        if hasattr(model, "history"):
            self.history = _History(writer, model.history.model, ordered, meta.db_table)
            if self.history.copies:
                self.sink.followers.append(self.history.follow)
        self.m2m: dict[str, _Links] = {}

    def add(
        self,
        values: Row,
        *,
        at: datetime.datetime,
        by: int | None,
        links: dict[str, Sequence[int]] | None = None,
        pk: int | None = None,
        changes: Sequence[tuple[Row, datetime.datetime, int | None]] = (),
        reasons: Sequence[str | None] = (),
    ) -> int:
        """Write a row of the fields named at construction; its primary key is returned.

        `changes` are the row's later states, each recorded in the history as an edit ("~")
        that raised the version; the row is written as the last of them leaves it. `reasons`
        are the history's change reasons, one per version (the writer's when not given). `pk`
        is one taken beforehand from `ids`, for a row its children had to name first.
        """
        pk = self.ids.take() if pk is None else pk
        row = self._row(pk, values, 1)
        reason = reasons[0] if reasons else self.writer.reason
        history_id = None
        if self.history is not None:
            if changes or not self.history.copies:
                history_id = self.history.add(row, at, by, "+", reason)
            else:  # copied from the row once it is in the table
                history_id = self.history.created(pk, at, by, reason)
        for version, (state, when, who) in enumerate(changes, start=2):
            row = self._row(pk, state, version)
            if self.history is not None:
                reason = reasons[version - 1] if reasons else self.writer.reason
                self.history.add(row, when, who, "~", reason)
        self.sink.append(row)
        for name, targets in (links or {}).items():
            if name not in self.m2m:
                self.m2m[name] = _Links(self.writer, self.model, name)
            self.m2m[name].add(pk, targets, history_id)
        return pk

    def _row(self, pk: int, values: Row, version: int) -> Row:
        row = (pk, *values, *self.defaults)
        if not self.converters and version == 1:
            return row
        converted = list(row)
        for index, converter in self.converters:
            if converted[index] is not None:
                converted[index] = converter(converted[index])
        if version != 1:
            if self.version is None:
                raise ImproperlyConfigured(f"{self.model._meta.label} keeps no version")
            converted[self.version] = version
        return tuple(converted)


class _History:
    """The historical twin of a table: the row's values and when, by whom, how it came.

    On SQLite a row written as it was created (one version) has its history row copied from it
    by the database, with an `INSERT … SELECT` that follows each batch of the table's rows:
    about a third of SQLite's work of binding and inserting the values one by one. (On
    PostgreSQL COPY is cheaper for the server than `INSERT … SELECT` from the table, and the
    server is the slower side there.) The history rows of a row's several versions, and all on
    PostgreSQL, are built here."""

    def __init__(
        self, writer: BulkWriter, model: type[models.Model], source: Sequence[Field], table: str
    ) -> None:
        self.ids = writer.ids_for(model)
        self.copies = writer.connection.vendor == "sqlite"
        concrete = _concrete(model)
        fields = [f for name, f in concrete.items() if name not in HISTORY_FIELDS]
        positions = {field.attname: index for index, field in enumerate(source)}
        copied = [field for field in fields if field.attname in positions]
        others = [field for field in fields if field.attname not in positions]
        for field in others:
            if not field.null and not field.has_default():
                raise ImproperlyConfigured(f"{model._meta.label}.{field.name} needs a value")
        self.pick = itemgetter(*(positions[field.attname] for field in copied))
        self.others = tuple(None if f.null else _default(writer, f) for f in others)
        self.convert_date = writer.converter(concrete["history_date"])
        self.converted: tuple[datetime.datetime, Any] | None = None  # the last moment sent
        columns = [*copied, *others, *(concrete[name] for name in HISTORY_FIELDS)]
        self.sink = writer.sink(model._meta.db_table, columns)
        # The rows waiting for their table, to be copied: primary key -> (history_id, moment,
        # reason, user).
        self.waiting: dict[int, tuple[int, Any, str | None, int | None]] = {}
        quote = writer.connection.ops.quote_name
        self._insert = (
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(_column(field)) for field in columns)}) SELECT "
            + "".join(f"m.{quote(_column(source[positions[f.attname]]))}, " for f in copied)
        )
        self._table = quote(table)
        self._pk = quote(_column(source[0]))

    def add(
        self, row: Row, at: datetime.datetime, by: int | None, kind: str, reason: str | None
    ) -> int:
        history_id = self.ids.take()
        self.sink.append(
            (*self.pick(row), *self.others, history_id, self._moment(at), reason, kind, by)
        )
        return history_id

    def created(self, pk: int, at: datetime.datetime, by: int | None, reason: str | None) -> int:
        """The history id of the row `pk`, as created: its history row is copied from it."""
        history_id = self.ids.take()
        self.waiting[pk] = (history_id, self._moment(at), reason, by)
        return history_id

    def _moment(self, at: datetime.datetime) -> Any:
        if self.convert_date is None:
            return at
        if self.converted is None or self.converted[0] is not at:
            self.converted = (at, self.convert_date(at))
        return self.converted[1]

    def follow(self, rows: list[Row], placeholder: str) -> Callable[[Any], None] | None:
        """The work copying the history rows of `rows`, sent to their table just before: a
        range of rows for each run in step, the others as JSON (`json_each`)."""
        waiting = self.waiting
        pop = waiting.pop
        copied = [(row[0], *pop(row[0])) for row in rows if row[0] in waiting]
        if not copied:
            return None
        self.sink.written += len(copied)
        others = "".join(f"{placeholder}, " for _ in self.others)
        statements: list[tuple[str, Sequence[Any]]] = []
        scattered: list[tuple[Any, ...]] = []
        for run in _runs(copied):
            if len(run) < MIN_RUN:
                scattered.extend(run)
                continue
            # Keys and history ids in step, one moment, reason and user: a range of rows.
            pk, history_id, moment, reason, by = run[0]
            statements.append(
                (
                    f"{self._insert}{others}m.{self._pk} + {placeholder}, {placeholder}, "
                    f"{placeholder}, '+', {placeholder} FROM {self._table} AS m "
                    f"WHERE m.{self._pk} BETWEEN {placeholder} AND {placeholder}",
                    [*self.others, history_id - pk, moment, reason, by, pk, run[-1][0]],
                )
            )
        if scattered:
            # json_each hands the rows to SQLite as one value; CROSS JOIN keeps it outermost.
            # (json_extract rather than ->>, which SQLite only has from 3.38.)
            statements.append(
                (
                    f"{self._insert}{others}json_extract(v.value, '$[1]'), "
                    f"json_extract(v.value, '$[2]'), json_extract(v.value, '$[3]'), '+', "
                    f"json_extract(v.value, '$[4]') FROM json_each({placeholder}) AS v "
                    f"CROSS JOIN {self._table} AS m "
                    f"ON m.{self._pk} = json_extract(v.value, '$[0]')",
                    [*self.others, _JSON_TEXT(scattered)],
                )
            )
        return partial(_execute_all, statements=statements)


def _runs(rows: list[tuple[Any, ...]]) -> list[list[tuple[Any, ...]]]:
    """The rows (primary key, history id, moment, reason, user) in runs whose keys and history
    ids both rise by one from row to row, with one moment, reason and user."""
    runs: list[list[tuple[Any, ...]]] = []
    last: tuple[Any, ...] | None = None
    for row in rows:
        if last is None or row[0] != last[0] + 1 or row[1] != last[1] + 1 or row[2:] != last[2:]:
            runs.append([])
        runs[-1].append(row)
        last = row
    return runs


def _execute_all(cursor: Any, *, statements: list[tuple[str, Sequence[Any]]]) -> None:
    for statement, parameters in statements:
        cursor.execute(statement, parameters)


class _Links:
    """A many-to-many field's link rows, and the links as recorded with the row's history."""

    def __init__(self, writer: BulkWriter, model: type[models.Model], name: str) -> None:
        field = next(f for f in model._meta.many_to_many if f.name == name)
        self.field = field
        through = field.remote_field.through
        assert through is not None  # noqa: S101 - Django makes one for every many-to-many field
        self.ids = writer.ids_for(through)
        names = ["id", field.m2m_column_name(), field.m2m_reverse_name()]
        concrete = _concrete(through)
        self.sink = writer.sink(through._meta.db_table, [concrete[name] for name in names])
        self.history: tuple[Ids, Sink] | None = None
        historical = getattr(model, "history", None)
        if historical is not None and any(
            f.name == name for f in getattr(historical.model, "_history_m2m_fields", ())
        ):
            links = getattr(historical.model, name).model
            concrete = _concrete(links)
            pk = next(f for f in concrete.values() if f.primary_key)
            columns = [*(concrete[name] for name in [*names, "history_id"]), pk]
            self.history = (writer.ids_for(links), writer.sink(links._meta.db_table, columns))

    def add(self, pk: int, targets: Sequence[int], history_id: int | None) -> None:
        for target in targets:
            link = self.ids.take()
            self.sink.append((link, pk, target))
            if self.history is not None and history_id is not None:
                ids, sink = self.history
                sink.append((link, pk, target, history_id, ids.take()))


def _default(writer: BulkWriter, field: Field) -> Any:
    value = field.get_default() if field.has_default() else None
    converter = writer.converter(field)
    return converter(value) if converter is not None and value is not None else value


class BulkWriter:
    """The tables written in one transaction, and how values travel to this database."""

    def __init__(self, using: str = "default", *, reason: str | None = None) -> None:
        self.connection = connections[using]
        self.reason = reason  # the history's change reason, where a row names none of its own
        self.tables: dict[type[models.Model], Table] = {}
        self.sinks: dict[str, Sink] = {}
        self._ids: dict[type[models.Model], Ids] = {}
        self._order: list[Sink] = []  # the sinks, parents before children
        self._leaves: list[bool] = []  # whether no sink refers to the sink, in that order
        self._sender: _Sender | None = None
        self.batch_rows = BATCH_ROWS
        self.max_parameters = STATEMENT_PARAMETERS
        if self.connection.vendor == "sqlite":
            self.connection.ensure_connection()
            limit = self.connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            self.max_parameters = min(limit, STATEMENT_PARAMETERS)

    def table(self, model: type[models.Model], fields: Sequence[str]) -> Table:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = Table(self, model, fields)
        return table

    def ids_for(self, model: type[models.Model]) -> Ids:
        if model not in self._ids:
            pk = next(field for field in _concrete(model).values() if field.primary_key)
            self._ids[model] = Ids(self.connection, model._meta.db_table, _column(pk))
        return self._ids[model]

    def sink(self, table: str, fields: Sequence[Field]) -> Sink:
        if table not in self.sinks:
            self.sinks[table] = Sink(self, table, fields)
            self._order = []
        return self.sinks[table]

    def converter(self, field: Field) -> Callable[[Any], Any] | None:
        """How a value of the field is sent: PostgreSQL's COPY takes Python's own values."""
        if self.connection.vendor == "postgresql":
            return Jsonb if isinstance(field, models.JSONField) else None
        if isinstance(field, models.JSONField):
            return _JSON_TEXT
        if isinstance(field, models.DateTimeField):
            return self.connection.ops.adapt_datetimefield_value
        return None

    def flush(self, *, wait: bool = True) -> None:
        """Send every sink's rows, the tables referred to before those referring to them.

        With `wait`, they are all in the database when this returns (and the sending thread
        ended); without, inside a transaction, they go to the sending thread, started if need be.
        """
        if not self._order:
            self._order = self._parents_first()
            referred_to = frozenset().union(*(sink.references for sink in self._order))
            self._leaves = [sink.table not in referred_to for sink in self._order]
        sender = None
        if not wait and self.connection.in_atomic_block:
            sender = self._sender or self._start_sending()
        elif self._sender is not None:
            self._sender.wait()
        for sink, leaf in zip(self._order, self._leaves, strict=True):
            # A table others refer to is sent whole, so that no reference waits for its row.
            sink.flush(sender, whole_statements=leaf and not wait)
        if wait:
            self.close()

    def close(self, *, discard: bool = False) -> None:
        """End the sending thread, once what it was given is sent (or, with `discard`, at once,
        sending nothing more): before the transaction ends."""
        if self._sender is None:
            return
        sender, self._sender = self._sender, None
        try:
            if not discard:
                sender.wait()
        finally:
            sender.stop()
            if self._after_sending in self.connection.execute_wrappers:
                self.connection.execute_wrappers.remove(self._after_sending)

    def _start_sending(self) -> _Sender:
        self._sender = _Sender(self.connection)
        if self.connection.vendor == "sqlite":
            self.connection.execute_wrappers.append(self._after_sending)
        return self._sender

    def _after_sending(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        """A query of Django's on SQLite, once the batches under way are in: sqlite3 leaves it
        to us that two threads never use a connection at once."""
        if self._sender is not None:
            self._sender.wait()
        return execute(sql, params, many, context)

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(discard=kind is not None)

    def _parents_first(self) -> list[Sink]:
        order: list[Sink] = []
        placed: set[str] = set()

        def place(table: str) -> None:
            if table in placed:
                return
            placed.add(table)  # before its parents: a cycle is broken where it is met
            sink = self.sinks[table]
            for parent in sorted(sink.references & self.sinks.keys()):
                place(parent)
            order.append(sink)

        for table in self.sinks:
            place(table)
        return order
