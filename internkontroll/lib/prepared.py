"""Querysets compiled to SQL once per process and shape, then run with other values.

Django builds a queryset and compiles its SQL every time it runs. For a page's larger queries
that is most of their cost in the application: a risk read with its plan, committee, matrix
and scope (85 columns, 9 joins) took 1.7 ms of CPU to compile and 0.4 ms for the database to
run; the risk page spent about a third of its CPU compiling.

A prepared query is built by a function of its *shape* alone: hashable arguments that change
the SQL's text (which relations to read, whether a condition is there at all). What changes
from one run to the next (an id, a title, the scope's units) is a `Slot` in it, or an
`IdsSlot` for a set of ids, named and given when it runs. The query is built and compiled
once per shape and database, and each run sends the same SQL with that run's values.

The build function never sees a run's values, so none of them can be written into the SQL
that the next run reuses. A value that would change the SQL (None, which Django writes as
NULL; an empty list) belongs in the shape.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models import Expression, Value
from django.db.models.sql.query import Query

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True, eq=False)
class Placeholder:
    """A parameter of compiled SQL that a run fills in: `convert(connection, value)`."""

    name: str
    convert: Callable[[Any, Any], Any]


class Slot(Expression):
    """A value given when a prepared query runs, of the type of `output_field`.

    Sent as Django sends a value of that field (`Value` in a filter: the field's database
    form), never None: Django writes None as NULL, a different SQL.
    """

    def __init__(self, name: str, output_field: models.Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    @property
    def identity(self) -> tuple[Any, ...]:
        return (type(self), self.name, type(self.output_field))

    def __hash__(self) -> int:
        return hash(self.identity)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Slot) and other.identity == self.identity

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        field = self.output_field
        return "%s", [
            Placeholder(self.name, lambda conn, value: field.get_db_prep_value(value, conn))
        ]


@dataclass(frozen=True)
class IdsSlot:
    """A set of integer ids given when a prepared query runs: the right-hand side of an
    `in_ids` lookup, or a scope's units (internkontroll.access)."""

    name: str

    def placeholder(self, convert: Callable[[Any, Any], Any]) -> Placeholder:
        return Placeholder(self.name, convert)


@dataclass(frozen=True)
class _Compiled:
    """One shape's query on one database: its SQL, where each run's values go, and what
    Django's compiler worked out to read the rows (kept as it left them)."""

    queryset: models.QuerySet[Any]
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, Placeholder], ...]
    select: Any
    klass_info: Any
    annotation_col_map: Any
    col_count: int
    has_extra_select: bool
    # The columns' converters (dates, decimals), worked out on a connection's first run: they
    # depend on the columns and the connection (a thread's own) only, and are kept by both.
    # Were a closed connection's id reused, the converters found would be those of another
    # connection to the same database, which do the same.
    converters: dict[tuple[int, ...], Any] = field(default_factory=dict, compare=False)

    def compiler(self, query: Any, using: str, params: list[Any]) -> Any:
        compiler = query.get_compiler(using=using)
        compiler.select = self.select
        compiler.klass_info = self.klass_info
        compiler.annotation_col_map = self.annotation_col_map
        compiler.col_count = self.col_count
        compiler.has_extra_select = self.has_extra_select
        sql = self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        get_converters, known = compiler.get_converters, self.converters

        def converters(expressions: list[Any]) -> Any:
            key = (id(compiler.connection), *map(id, expressions))
            try:
                return known[key]
            except KeyError:
                if len(known) >= MAX_SHAPES:  # threads come and go in tests
                    known.clear()
                found = known[key] = get_converters(expressions)
                return found

        compiler.get_converters = converters
        return compiler


class _Run:
    """The prepared query's `Query` in one run: Django's own, whose compiler hands out the
    SQL compiled before with this run's parameters. Everything else is read from the query."""

    def __init__(self, compiled: _Compiled, using: str, params: list[Any]) -> None:
        self._compiled = compiled
        self._using = using
        self._params = params

    def get_compiler(self, using: str | None = None, *args: Any, **kwargs: Any) -> Any:
        return self._compiled.compiler(self._compiled.queryset.query, self._using, self._params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._compiled.queryset.query, name)


# Shapes are few (a handful per query); a bound keeps a mistake from growing without limit.
MAX_SHAPES = 256


class PreparedQuery(Generic[_M]):
    """A query of `model` built by `build(*shape)`, compiled once per shape and database.

    `rows(*shape, **values)` runs it with `values` in its slots and returns its rows: model
    instances with their `select_related` rows and `prefetch_related` lookups, or what
    `values()`/`values_list()` give.
    """

    def __init__(self, model: type[_M], build: Callable[..., models.QuerySet[Any]]) -> None:
        self.model = model
        self.build = build
        # None for a shape without rows whatever the values (Django's EmptyResultSet).
        self._compiled: dict[tuple[Any, ...], _Compiled | None] = {}
        self._lock = threading.Lock()

    def rows(self, *shape: Hashable, using: str | None = None, **values: Any) -> list[Any]:
        using = using or router.db_for_read(self.model)
        try:
            compiled = self._compiled[(using, *shape)]
        except KeyError:
            compiled = self._compile(shape, using)
        if compiled is None:
            return []
        connection = connections[using]
        params = list(compiled.params)
        for index, placeholder in compiled.slots:
            try:
                value = values[placeholder.name]
            except KeyError:
                raise TypeError(f"No value for the slot {placeholder.name!r}.") from None
            if value is None:
                raise ValueError(f"The slot {placeholder.name!r} takes no None: make it shape.")
            params[index] = placeholder.convert(connection, value)
        template = compiled.queryset
        run = type(template)(
            model=template.model, query=cast(Query, _Run(compiled, using, params)), using=using
        )
        # What else of the queryset decides how its rows are read.
        run._prefetch_related_lookups = template._prefetch_related_lookups  # type: ignore[attr-defined]
        run._iterable_class = template._iterable_class
        run._fields = template._fields  # type: ignore[attr-defined]
        return list(run)

    def _compile(self, shape: tuple[Any, ...], using: str) -> _Compiled | None:
        queryset = self.build(*shape).using(using)
        if queryset.model is not self.model:
            raise TypeError(
                f"The query reads {queryset.model.__name__}, not {self.model.__name__}."
            )
        compiler = queryset.query.get_compiler(using=using)
        compiled: _Compiled | None
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            compiled = None
        else:
            slots = tuple(
                (index, param)
                for index, param in enumerate(params)
                if isinstance(param, Placeholder)
            )
            compiled = _Compiled(
                queryset=queryset,
                sql=sql,
                params=tuple(params),
                slots=slots,
                select=compiler.select,
                klass_info=compiler.klass_info,
                annotation_col_map=compiler.annotation_col_map,
                col_count=compiler.col_count,
                has_extra_select=compiler.has_extra_select,
            )
        with self._lock:
            if len(self._compiled) >= MAX_SHAPES:
                self._compiled.clear()
            self._compiled[(using, *shape)] = compiled
        return compiled


def prepared(model: type[_M]) -> Callable[[Callable[..., models.QuerySet[Any]]], PreparedQuery[_M]]:
    """Decorate a function of a query's shape that builds it: `@prepared(Risk)`."""

    def decorate(build: Callable[..., models.QuerySet[Any]]) -> PreparedQuery[_M]:
        return PreparedQuery(model, build)

    return decorate


def one_row(queryset: models.QuerySet[Any], **aggregates: Any) -> models.QuerySet[Any]:
    """`queryset.aggregate(**aggregates)` as a query a prepared query can run: grouped by a
    constant, which Django leaves out of GROUP BY, so one row of the aggregates whatever the
    rows (counts of none are 0)."""
    return queryset.order_by().annotate(every=Value(1)).values("every").annotate(**aggregates)
