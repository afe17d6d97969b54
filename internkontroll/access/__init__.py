"""Who may see and change what: the one place where scoped access is decided.

A role assignment covers a unit and every unit below it (or the whole organisation when it
names no unit). Each model's queryset says how its rows reach a unit (`unit_paths`) or an
organisation (`organisation_path`); `for_user` filters by the user's scope and
`get_for_user` turns "not visible" into 404 and "visible but not writable" into 403.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db import DatabaseError, connections, models, router
from django.db.models import Expression, Lookup, Q
from django.db.models.sql.query import Query
from django.http import Http404

from internkontroll.lib.prepared import IdsSlot, PreparedQuery, Slot

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """The unit and organisation ids a user may read and write; `everything` for superusers.

    Shared by the requests of a process (`scope_for`): never changed once made.
    """

    readable_units: frozenset[int] = frozenset()
    writable_units: frozenset[int] = frozenset()
    readable_organisations: frozenset[int] = frozenset()
    # Organisations where the user holds a role on the whole organisation.
    organisation_wide_read: frozenset[int] = frozenset()
    organisation_wide_write: frozenset[int] = frozenset()
    settings_organisations: frozenset[int] = frozenset()
    roles_by_unit: Mapping[int | None, frozenset[str]] = field(default_factory=dict)
    # The unit tree of those organisations, read to compute the rest: unit id → (parent id,
    # kind), for whatever else needs to walk up from a unit in scope.
    tree: Mapping[int, tuple[int | None, str]] = field(default_factory=dict)
    everything: bool = False

    # Filters made from the scope, kept with it (see `condition`).
    conditions: dict[Any, Q] = field(default_factory=dict, compare=False, repr=False)

    def units(self, write: bool) -> frozenset[int]:
        return self.writable_units if write else self.readable_units

    def condition(self, key: Any, build: Callable[[], Q]) -> Q:
        """The filter `build` makes, made once per `key` for the scope (and so for as long as a
        process keeps the scope): the queries a Q object filters leave it unchanged."""
        found = self.conditions.get(key)
        if found is None:
            found = self.conditions.setdefault(key, build())
        return found

    def organisations_wide(self, write: bool) -> frozenset[int]:
        return self.organisation_wide_write if write else self.organisation_wide_read


EMPTY_SCOPE = Scope()


def in_ids_sql(connection: Any) -> str:
    """What follows a column for "one of these ids", the ids being one parameter (`ids_param`).

    PostgreSQL takes them as one array (`= ANY`, the form it turns an IN list into itself);
    SQLite as one JSON array. Only the column's own SQL goes into the text.
    """
    if connection.vendor == "postgresql":
        return " = ANY(%s::bigint[])"
    return " IN (SELECT value FROM json_each(%s))"


def ids_param(connection: Any, ids: Iterable[int] | IdsSlot) -> Any:
    """The ids as `in_ids_sql`'s parameter; for a prepared query's slot, where they go."""
    if isinstance(ids, IdsSlot):
        return ids.placeholder(_sorted_ids_param)
    return list(ids) if connection.vendor == "postgresql" else json.dumps(list(ids))


def _sorted_ids_param(connection: Any, ids: Iterable[int]) -> Any:
    return ids_param(connection, sorted(int(pk) for pk in ids))


def in_subquery_sql(connection: Any, subquery: str) -> str:
    """What follows a column for "one of the ids this subquery (in parentheses) selects"."""
    if connection.vendor == "postgresql":
        # An array made once (an InitPlan), so the column's index serves even under an OR.
        return f" = ANY(ARRAY{subquery})"
    return f" IN {subquery}"


class InIds(Lookup):
    """`path__in_ids=ids`: like `__in` for a set of integer ids, as one parameter.

    A scope holds every unit of an organisation for its administrators, a thousand in a city;
    Django's `__in` prepares and binds each id on its own, many times a page.
    """

    lookup_name = "in_ids"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        if isinstance(self.rhs, IdsSlot):  # given as a prepared query runs
            return self.rhs
        if isinstance(self.rhs, Query):  # a subquery of ids
            # Its order is nothing to a set, and its default ordering may join other tables
            # (a plan's is its unit's name): dropped, as Django's `__in` does, unless sliced.
            self.rhs.clear_ordering(clear_default=True)
            return self.rhs
        if hasattr(self.rhs, "as_sql"):  # another expression
            return self.rhs
        return sorted(int(pk) for pk in self.rhs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, params = self.process_lhs(compiler, connection)
        if hasattr(self.rhs, "as_sql"):
            subquery, subquery_params = compiler.compile(self.rhs)
            return lhs + in_subquery_sql(connection, subquery), [*params, *subquery_params]
        return lhs + in_ids_sql(connection), [*params, ids_param(connection, self.rhs)]


# Foreign keys keep a registry of their own.
models.Field.register_lookup(InIds)
models.ForeignObject.register_lookup(InIds)


def descendants(children: dict[int | None, list[int]], root: int) -> set[int]:
    found: set[int] = set()
    stack = [root]
    while stack:
        unit_id = stack.pop()
        if unit_id in found:
            continue
        found.add(unit_id)
        stack.extend(children.get(unit_id, ()))
    return found


def compute_scope(user: Any) -> Scope:
    from internkontroll.accounts.models import SETTINGS_ROLES, WRITE_ROLES, RoleAssignment
    from internkontroll.organisation.models import Unit

    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    if user.is_superuser:
        return Scope(everything=True)
    # Unordered: the models' orderings would join users and organisations only to sort.
    assignments = list(
        RoleAssignment.objects.filter(user=user)
        .order_by()
        .values_list("organisation_id", "unit_id", "role")
    )
    if not assignments:
        return EMPTY_SCOPE
    organisations = {organisation_id for organisation_id, _, _ in assignments}
    children: dict[int | None, list[int]] = defaultdict(list)
    units_of: dict[int, set[int]] = defaultdict(set)
    tree: dict[int, tuple[int | None, str]] = {}
    for unit_id, parent_id, organisation_id, kind in (
        Unit.objects.filter(organisation_id__in=organisations)
        .order_by()
        .values_list("id", "parent_id", "organisation_id", "kind")
    ):
        children[parent_id].append(unit_id)
        units_of[organisation_id].add(unit_id)
        tree[unit_id] = (parent_id, kind)

    readable: set[int] = set()
    writable: set[int] = set()
    wide_read: set[int] = set()
    wide_write: set[int] = set()
    settings: set[int] = set()
    roles_by_unit: dict[int | None, set[str]] = defaultdict(set)
    for organisation_id, unit_id, role in assignments:
        covered = units_of[organisation_id] if unit_id is None else descendants(children, unit_id)
        readable |= covered
        if unit_id is None:
            wide_read.add(organisation_id)
        if role in WRITE_ROLES:
            writable |= covered
            if unit_id is None:
                wide_write.add(organisation_id)
        if role in SETTINGS_ROLES and unit_id is None:
            settings.add(organisation_id)
        for covered_id in covered:
            roles_by_unit[covered_id].add(role)
    return Scope(
        readable_units=frozenset(readable),
        writable_units=frozenset(writable),
        readable_organisations=frozenset(organisations),
        organisation_wide_read=frozenset(wide_read),
        organisation_wide_write=frozenset(wide_write),
        settings_organisations=frozenset(settings),
        roles_by_unit=_sharing_equal_sets(roles_by_unit),
        tree=tree,
    )


def _sharing_equal_sets(sets: dict[int | None, set[str]]) -> dict[int | None, frozenset[str]]:
    """The sets frozen, one frozenset for each distinct set: most units share a set of roles,
    and a process keeps many scopes."""
    distinct: dict[frozenset[str], frozenset[str]] = {}
    shared = {}
    for key, value in sets.items():
        frozen = frozenset(value)
        shared[key] = distinct.setdefault(frozen, frozen)
    return shared


def scope_for(user: Any) -> Scope:
    """The user's scope, looked up once per user object (that is, once per request)."""
    cached = getattr(user, "_internkontroll_scope", None)
    if cached is None:
        cached = _shared_scope(user)
        if user is not None:
            user._internkontroll_scope = cached
    return cached


# Scopes this process computed, by database, user and scope stamp, the least recently used
# dropped first. A scope holds its organisations' unit tree: about 170 KB for an
# administrator of 1,000 units, so at most about 45 MB.
_SHARED_SCOPES: OrderedDict[tuple[str, int, int], Scope] = OrderedDict()
_SHARED_SCOPES_LOCK = threading.Lock()
SHARED_SCOPES = 256


def _shared_scope(user: Any) -> Scope:
    """The scope this process computed for the user while the scope stamp was the same, else
    a new one: one small query instead of reading the role assignments and the unit tree.

    The stamp is read before what the scope is computed from, so that a change committed in
    between leaves the scope under the stamp it came with, never under the earlier one.
    """
    if user is None or not user.is_authenticated or not user.is_active or user.is_superuser:
        return compute_scope(user)  # known without a query
    from internkontroll.accounts.models import ScopeStamp

    using = router.db_for_read(ScopeStamp)
    connection = connections[using]
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(ScopeStamp._meta.db_table)
        cursor.execute(f"SELECT token FROM {table} WHERE id = 1")  # noqa: S608 - our table
        row = cursor.fetchone()
    if row is None:  # the row is gone (a flushed database): compute every time
        return compute_scope(user)
    key = (using, user.pk, row[0])
    with _SHARED_SCOPES_LOCK:
        scope = _SHARED_SCOPES.get(key)
        if scope is not None:
            _SHARED_SCOPES.move_to_end(key)
            return scope
    scope = compute_scope(user)
    with _SHARED_SCOPES_LOCK:
        _SHARED_SCOPES[key] = scope
        while len(_SHARED_SCOPES) > SHARED_SCOPES:
            _SHARED_SCOPES.popitem(last=False)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope, after the user's role assignments changed."""
    if hasattr(user, "_internkontroll_scope"):
        del user._internkontroll_scope


@dataclass(frozen=True)
class ScopeShape:
    """What of a scope changes a scoped query's SQL: whether it holds everything, any units,
    any organisations as a whole."""

    everything: bool
    units: bool
    organisations: bool
    write: bool


def scope_slots(user: Any, write: bool = False) -> tuple[ScopeShape, dict[str, Any]]:
    """The user's scope for a prepared query (`in_prepared_scope`): its shape, and the values
    of its slots."""
    scope = scope_for(user)
    units, wide = scope.units(write), scope.organisations_wide(write)
    shape = ScopeShape(scope.everything, bool(units), bool(wide), write)
    return shape, {"scope_units": units, "scope_organisations": wide}


def plan_slots(
    plan: Any, user: Any, write: bool = False
) -> tuple[ScopeShape | None, dict[str, Any]]:
    """A plan's rows a user may read (or write), for a prepared query (`in_prepared_plan`):
    the shape (None when the user's scope covers the plan's committee, as `in_plan_for_user`
    decides) and the values of its slots."""
    scope = scope_for(user)
    if scope.everything or plan.unit_id in scope.units(write):
        return None, {"plan": plan.pk}
    shape, values = scope_slots(user, write)
    return shape, {"plan": plan.pk, **values}


PLAN_UNIT = "plan__unit_id"


def _via_plan(path: str) -> bool:
    return path == PLAN_UNIT or path.endswith(f"__{PLAN_UNIT}")


@dataclass(frozen=True)
class InIdsTerm:
    """One part of a scope's condition: the column at `path` holds one of `ids`, or, with a
    `source`, one of the values `source` selects from its table's rows whose filtered column
    holds one of `ids` (the plans of the scope's units)."""

    path: str
    ids: tuple[int, ...] | IdsSlot
    # (table, selected column, filtered column, distinct)
    source: tuple[str, str, str, bool] | None = None

    def sql(self, connection: Any) -> str:
        """What follows the column: its SQL with one parameter, the ids."""
        if self.source is None:
            return in_ids_sql(connection)
        table, selected, filtered, distinct = self.source
        quote = connection.ops.quote_name
        # An alias of its own: inside, it hides any outer use of the table's name.
        subquery = (
            f"(SELECT {'DISTINCT ' if distinct else ''}ik_scope.{quote(selected)} "  # noqa: S608
            f"FROM {quote(table)} ik_scope WHERE ik_scope.{quote(filtered)}"
            f"{in_ids_sql(connection)})"
        )
        return in_subquery_sql(connection, subquery)


def selecting(
    model: type[models.Model], selected: str, filtered: str, *, distinct: bool = False
) -> tuple[str, str, str, bool]:
    """An `InIdsTerm`'s source: the model's `selected` field where `filtered` holds the ids."""

    def column(name: str) -> str:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        return str(getattr(field, "column", ""))

    return (model._meta.db_table, column(selected), column(filtered), distinct)


class InScope(Expression):
    """A scope's condition on a model: an OR of `InIdsTerm`s, its SQL written here.

    The same rows (and SQL) as the OR of `path__in_ids` lookups it stands for, the plans' ids
    as a subquery, but Django resolves only the terms' columns: a scoped query built and
    compiled its condition's lookups and subqueries every time, about 0.7 ms of a page's CPU
    per scoped query. None of the terms: no rows, as `pk__in=[]`.
    """

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, terms: tuple[InIdsTerm, ...]) -> None:
        super().__init__(output_field=models.BooleanField())
        self.terms = terms
        self.columns: list[Any] = [models.F(term.path) for term in terms]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.terms!r})"

    @property
    def identity(self) -> tuple[Any, ...]:
        return (type(self), self.terms, *self.columns)

    def __hash__(self) -> int:
        return hash(self.identity)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InScope) and other.identity == self.identity

    def get_source_expressions(self) -> list[Any]:
        return self.columns

    def set_source_expressions(self, exprs: Any) -> None:
        self.columns = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        if not self.terms:
            raise EmptyResultSet
        parts, params = [], []
        for column, term in zip(self.columns, self.terms, strict=True):
            column_sql, column_params = compiler.compile(column)
            parts.append(column_sql + term.sql(connection))
            params.extend(column_params)
            params.append(ids_param(connection, term.ids))
        if len(parts) == 1:
            return parts[0], params
        return f"({' OR '.join(parts)})", params


def unit_term(path: str, units: frozenset[int] | IdsSlot) -> InIdsTerm:
    """Rows whose unit, reached by `path`, is one of `units`.

    A path through a plan asks for the plans of those units instead, by their ids in the row
    that holds the plan (`plan_id`): then every path of a model ends in a column of one table,
    and PostgreSQL can combine their indexes, where a condition on the joined plans' units
    beside one on the risks' own made it read every risk of the country.
    """
    ids = units if isinstance(units, IdsSlot) else tuple(sorted(units))
    if not _via_plan(path):
        return InIdsTerm(path, ids)
    from internkontroll.plans.models import ControlPlan

    plans = selecting(ControlPlan, "pk", "unit")
    return InIdsTerm(f"{path.removesuffix('__unit_id')}_id", ids, plans)


_NOT_LOADED = object()


def _loaded(obj: Any, path: str) -> Any:
    """The value at the end of a lookup path (`plan__unit_id`), following only related rows
    already read with `obj`; `_NOT_LOADED` where one is missing, None where a link is empty."""
    *relations, column = path.split("__")
    for name in relations:
        field = obj._meta.get_field(name)
        if not field.is_cached(obj):
            return _NOT_LOADED
        obj = getattr(obj, name)
        if obj is None:
            return None
    return getattr(obj, column)


class UnitScopedQuerySet(models.QuerySet[_M], Generic[_M]):
    """A queryset whose rows belong to units; subclasses name the lookups that reach them."""

    unit_paths: ClassVar[Iterable[str]] = ()
    organisation_path: ClassVar[str | None] = None

    def for_user(self, user: Any, write: bool = False) -> UnitScopedQuerySet[_M]:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        return self.filter(self.scope_condition(scope, write))

    def scope_condition(self, scope: Scope, write: bool) -> Q:
        """The rows of the scope's units (and organisations), as this model reaches them."""

        def build() -> Q:
            wide = scope.organisations_wide(write)
            return self._scope_terms(scope.units(write), tuple(sorted(wide)))

        return scope.condition((UnitScopedQuerySet, type(self), write), build)

    def _scope_terms(
        self, units: frozenset[int] | IdsSlot | None, wide: tuple[int, ...] | IdsSlot | None
    ) -> Q:
        terms = [unit_term(path, units) for path in self.unit_paths] if units else []
        if self.organisation_path and wide:
            terms.append(InIdsTerm(self.organisation_path, wide))
        return Q(InScope(tuple(terms)))

    def in_prepared_scope(self, shape: ScopeShape) -> UnitScopedQuerySet[_M]:
        """`for_user` in a prepared query (internkontroll.lib.prepared): `shape` is the one
        `scope_slots` gives, and the scope's ids are its slots."""
        if shape.everything:
            return self.all()
        return self.filter(
            self._scope_terms(
                IdsSlot("scope_units") if shape.units else None,
                IdsSlot("scope_organisations") if shape.organisations else None,
            )
        )

    def may_write(self, obj: _M, user: Any) -> bool:
        """Whether `for_user(user, write=True)` holds `obj`.

        Decided from the ids `obj` carries along its paths when they are loaded (the object
        and the related rows it was read with), else asked of the database: a page that read
        an object through the gate knows without another query whether to offer its edits.
        """
        scope = scope_for(user)
        if scope.everything:
            return True
        units, wide = scope.units(write=True), scope.organisations_wide(write=True)
        paths = [(path, units) for path in self.unit_paths]
        if self.organisation_path:
            paths.append((self.organisation_path, wide))
        for path, ids in paths:
            value = _loaded(obj, path)
            if value is _NOT_LOADED:
                return self.for_user(user, write=True).filter(pk=obj.pk).exists()
            if value is not None and value in ids:
                return True
        return False

    def in_prepared_plan(self, shape: ScopeShape | None) -> UnitScopedQuerySet[_M]:
        """`in_plan_for_user` in a prepared query: `shape` is the one `plan_slots` gives (None
        for the whole plan), and the plan's id is the slot "plan"."""
        base = self.all() if shape is None else self.in_prepared_scope(shape)
        return base.filter(**{self._plan_path(): Slot("plan", models.BigIntegerField())})

    def _plan_path(self) -> str:
        through = next(
            (path.removesuffix("__unit_id") for path in self.unit_paths if _via_plan(path)), None
        )
        if through is None:
            raise TypeError(f"{self.model.__name__} does not reach a plan")
        return through

    def in_plan_for_user(self, plan: Any, user: Any, write: bool = False) -> Any:
        """The plan's rows the user may read (or write): `for_user` and the plan.

        The same rows as `for_user(user, write).filter(plan path=plan)`. When the user's scope
        covers the plan's committee, every row of the plan passes `for_user` by its path
        through the plan, so the plan alone is asked for: a page that counts and lists the
        plan's rows several times builds and plans a plain query each time instead of the
        scope's conditions. A person below the committee gets the scope's conditions.
        """
        in_plan = Q(**{self._plan_path(): plan})
        scope = scope_for(user)
        if scope.everything or plan.unit_id in scope.units(write):
            return self.filter(in_plan)
        return self.for_user(user, write=write).filter(in_plan)


class AssignableQuerySet(UnitScopedQuerySet[_M], Generic[_M]):
    """Items assigned to a person, who may report on them without being a coordinator."""

    def reportable_by(self, user: Any) -> UnitScopedQuerySet[_M]:
        """What the user may follow up and set the status of: all they write, and their own."""
        own = self.for_user(user).filter(assignee_id=getattr(user, "pk", None))
        return self.filter(
            Q(pk__in=self.for_user(user, write=True).values("pk")) | Q(pk__in=own.values("pk"))
        )


class OrganisationScopedQuerySet(models.QuerySet[_M], Generic[_M]):
    """Organisation settings: read by anyone with a role there, written by its administrators."""

    organisation_path: ClassVar[str] = "organisation_id"

    def for_user(self, user: Any, write: bool = False) -> OrganisationScopedQuerySet[_M]:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        organisations = scope.settings_organisations if write else scope.readable_organisations
        return self.filter(**{f"{self.organisation_path}__in": organisations})

    def may_write(self, obj: _M, user: Any) -> bool:
        """Whether `for_user(user, write=True)` holds `obj` (see UnitScopedQuerySet.may_write)."""
        scope = scope_for(user)
        if scope.everything:
            return True
        value = _loaded(obj, self.organisation_path)
        if value is _NOT_LOADED:
            return self.for_user(user, write=True).filter(pk=obj.pk).exists()
        return value in scope.settings_organisations


# A lookup by primary key joining at least this many tables is planned in its written order.
MANY_JOINS = 5


@contextmanager
def joins_as_written(using: str) -> Iterator[None]:
    """Have PostgreSQL plan the queries run inside in the join order they are written in.

    For a row looked up by its primary key with its related rows, the written order (that
    row first, then each related row by its key) is the best one, but PostgreSQL searches
    every order first: for the risk page's seven joined tables that search took 2.7 ms of
    the database's CPU against 0.1 ms to run the query (0.4 ms in the written order). The
    setting is the session's (SET LOCAL would outlive the lookup inside a transaction), and
    is reset after; a transaction the lookup breaks undoes it as it rolls back.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET join_collapse_limit = 1")
    try:
        yield
    except DatabaseError:
        # Inside a transaction the error broke it: its rollback undoes the setting.
        if not connection.in_atomic_block:
            _reset_join_order(connection)
        raise
    except BaseException:
        _reset_join_order(connection)  # as a lookup that found nothing
        raise
    _reset_join_order(connection)


def _reset_join_order(connection: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("RESET join_collapse_limit")


def _joined_tables(related: dict[str, Any] | bool) -> int:
    if not isinstance(related, dict):
        return MANY_JOINS if related else 0
    return sum(1 + _joined_tables(deeper) for deeper in related.values())


def _get(queryset: Any, pk: Any) -> Any:
    """queryset.get(pk=pk), planned in the written order when it joins many tables.

    Only for `for_user`'s conditions, which are on the joined rows or on one table's ids: a
    condition with a join of its own (as `reportable_by`'s) would be planned as written too,
    from a whole table.
    """
    if _joined_tables(queryset.query.select_related) < MANY_JOINS:
        return queryset.get(pk=pk)
    with joins_as_written(queryset.db):
        return queryset.get(pk=pk)


def _may_write(queryset: Any, obj: Any, user: Any) -> bool:
    if isinstance(queryset, (UnitScopedQuerySet, OrganisationScopedQuerySet)):
        return queryset.may_write(obj, user)
    return bool(queryset.for_user(user, write=True).filter(pk=obj.pk).exists())


def read_for_user(query: PreparedQuery[_M], user: Any, pk: Any, *shape: Hashable) -> _M:
    """What `get_for_user(queryset, user, pk)` reads, through a prepared query of
    `(scope shape, *shape)` (`in_prepared_scope`, and `pk` the slot "pk"): the object, or 404
    where the user may not read it. Planned in the written join order (`joins_as_written`)."""
    scope, values = scope_slots(user)
    using = router.db_for_read(query.model)
    primary_key = query.model._meta.pk
    try:
        pk = int(primary_key.to_python(pk))
    except (ValidationError, TypeError) as error:  # not an id
        raise Http404 from error
    # Out of the column's range is no row (as Django's own lookups answer), not an error.
    low, high = connections[using].ops.integer_field_range(primary_key.get_internal_type())
    if (low is not None and pk < low) or (high is not None and pk > high):
        raise Http404
    with joins_as_written(using):
        rows = query.rows(scope, *shape, using=using, pk=pk, **values)
    if not rows:
        raise Http404
    return rows[0]


def get_for_user(
    queryset: Any, user: Any, pk: Any, *, write: bool = False, report: bool = False
) -> Any:
    """The object with this pk if the user may see it: 404 for outsiders, 403 for read-only.

    `report` asks for the right to follow up (coordinators and the assigned person).
    """
    if report and not write:
        # Reportable is a part of readable: one query answers the common case, and only a
        # refusal looks further, to tell an outsider (404) from a reader (403).
        try:
            return queryset.reportable_by(user).get(pk=pk)
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            pass
    try:
        obj = _get(queryset.for_user(user), pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    if write and not _may_write(queryset, obj, user):
        raise PermissionDenied
    if report and not queryset.reportable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj
