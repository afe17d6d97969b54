"""The recorded history as readable sentences: per object on its page, and the auditors' log.

History rows come from django-simple-history. They are only read here; nothing in this module
writes. Scope is decided on the historical rows' own keys (plan, committee, risk), so the
history of a deleted object stays visible to those who could see its committee.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import Truncator, capfirst, get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from internkontroll.access.trail import LogScope
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.nominations.models import Nomination
from internkontroll.organisation.models import Organisation
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk, RolloverDecision

SHORT = 60  # characters of a text value shown before the ellipsis
# The change reason an import should leave (`obj._change_reason`); the importer sets none yet.
IMPORT_REASON = "import"


@dataclass(frozen=True)
class Kind:
    """A model whose history is shown: how it is named and what identifies a version."""

    key: str
    model: type[models.Model]
    the: Any  # the definite form, "the action"
    title_fields: tuple[str, ...]
    search_field: str
    # Tells what happened in its own words (a proposal accepted, a plan closed); None, or
    # no describer, leaves the generic "created"/"changed … from … to …" sentence.
    describe: Callable[[_Pending, _Related, str], str | None] | None = None
    # Further foreign keys the describer names, fetched with the others.
    named: tuple[str, ...] = ()

    @property
    def history(self) -> type[models.Model]:
        return self.model.history.model  # type: ignore[attr-defined]

    @property
    def label(self) -> str:
        return str(capfirst(self.model._meta.verbose_name_plural))

    def m2m_fields(self) -> list[models.ManyToManyField[Any, Any]]:
        return [
            field
            for field in self.model._meta.many_to_many
            if _m2m_history(self, field) is not None
        ]


# Events told in their own words --------------------------------------------------------
# Each gets the pending entry, the fetched related objects and the subject ("the internal
# control plan “Socialnämnden 2025”"), and returns the text, or None for the generic one.

LIFECYCLE = ("adopted_on", "follow_up_started_at", "closed_at")


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(SHORT)


def _describe_plan(item: _Pending, related: _Related, subject: str) -> str | None:
    """Adopted, follow-up started, closed, reopened; other changes of the same save follow."""
    if item.row.history_type != "~":
        return None
    steps, rest = [], []
    for field, old, new in item.changes:
        if field.name not in LIFECYCLE or (old is not None and new is not None):
            rest.append((field, old, new))
        elif field.name == "adopted_on" and new is not None:
            steps.append(
                gettext("recorded that %(subject)s was adopted on %(date)s")
                % {"subject": subject, "date": new.isoformat()}
            )
        elif field.name == "follow_up_started_at" and new is not None:
            steps.append(gettext("started the follow-up of %(subject)s") % {"subject": subject})
        elif field.name == "closed_at":
            text = gettext("closed %(subject)s") if new else gettext("reopened %(subject)s")
            steps.append(text % {"subject": subject})
        else:
            rest.append((field, old, new))
    if not steps:
        return None
    # Who moved the plan on is the entry's author; the fields saying so repeat it.
    rest = [
        change for change in rest if change[0].name not in ("follow_up_started_by", "closed_by")
    ]
    text = get_text_list(steps, gettext("and"))
    if rest:
        phrases = [_change(item.kind.model, f, old, new, related) for f, old, new in rest]
        text = gettext("%(steps)s and changed %(changes)s") % {
            "steps": text,
            "changes": get_text_list(phrases, gettext("and")),
        }
    return text


def _describe_nomination(item: _Pending, related: _Related, subject: str) -> str | None:
    row = item.row
    values = {
        "title": _short(row.title),
        "plan": related.name(Nomination._meta.get_field("plan"), row.plan_id),
    }
    if row.history_type == "+" and row.status == Nomination.Status.PROPOSED:
        return gettext("proposed the risk “%(title)s” for the plan %(plan)s") % values
    status = [change for change in item.changes if change[0].name == "status"]
    if row.history_type != "~" or not status:
        return None
    if row.status == Nomination.Status.ACCEPTED:
        return gettext("accepted the proposed risk “%(title)s” into the plan %(plan)s") % values
    if row.status == Nomination.Status.RETURNED:
        values["reason"] = _short(row.decision_comment)
        return (
            gettext("returned the proposed risk “%(title)s” with the reason: %(reason)s") % values
        )
    if row.status == Nomination.Status.WITHDRAWN:
        return gettext("withdrew the proposed risk “%(title)s”") % values
    return None


def _describe_rollover(item: _Pending, related: _Related, subject: str) -> str | None:
    row = item.row
    if row.history_type != "+":
        return None
    values = {
        "risk": _short(related.name(RolloverDecision._meta.get_field("risk"), row.risk_id)),
        "plan": related.name(RolloverDecision._meta.get_field("plan"), row.plan_id),
        "target": _short(related.name(RolloverDecision._meta.get_field("target"), row.target_id)),
        "reason": _short(row.reason),
    }
    if row.decision == RolloverDecision.Decision.CARRY:
        return (
            gettext("decided that the risk “%(risk)s” is carried over to the plan %(plan)s")
            % values
        )
    if row.decision == RolloverDecision.Decision.MERGE:
        return (
            gettext(
                "decided that the risk “%(risk)s” is merged into “%(target)s” in the plan %(plan)s"
            )
            % values
        )
    if row.decision == RolloverDecision.Decision.CLOSE:
        return (
            gettext("decided that the risk “%(risk)s” is closed, with the reason: %(reason)s")
            % values
        )
    return None


KINDS = (
    Kind(
        "plan",
        ControlPlan,
        _("the internal control plan"),
        ("unit", "year"),
        "reference",
        describe=_describe_plan,
    ),
    Kind("assessment", Assessment, _("the assessment"), ("plan",), "analysis"),
    Kind("risk", Risk, _("the risk"), ("title",), "title"),
    Kind("action", Action, _("the action"), ("title",), "title"),
    Kind("control_activity", ControlActivity, _("the control activity"), ("title",), "title"),
    Kind("follow_up", FollowUp, _("the follow-up"), ("date",), "comment"),
    Kind("audit_report", AuditReport, _("the audit report"), ("title",), "title"),
    Kind("recommendation", Recommendation, _("the recommendation"), ("text",), "text"),
    Kind(
        "nomination",
        Nomination,
        _("the risk nomination"),
        ("title",),
        "title",
        describe=_describe_nomination,
        named=("plan",),
    ),
    Kind(
        "rollover_decision",
        RolloverDecision,
        _("the rollover decision on the risk"),
        ("risk",),
        "reason",
        describe=_describe_rollover,
        named=("plan", "target"),
    ),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
KIND_BY_MODEL: dict[type[models.Model], Kind] = {kind.model: kind for kind in KINDS}
# Lookups done when a foreign key is shown, so that str() needs no further query.
RELATED_SELECT: dict[str, tuple[str, ...]] = {
    "plans.ControlPlan": ("unit",),
    "organisation.RiskMatrix": ("organisation",),
}


def _m2m_history(kind: Kind, field: models.ManyToManyField[Any, Any]) -> Any:
    try:
        return apps.get_model(
            kind.model._meta.app_label, f"Historical{kind.model.__name__}_{field.name}"
        )
    except LookupError:
        return None


@dataclass(frozen=True)
class Entry:
    """One recorded change, ready to read: who did what to which object, and when."""

    when: datetime.datetime  # in the site's time zone (Europe/Stockholm)
    who: str
    text: str  # "changed status from In progress to Done"
    subject: str  # "the action “Inför attest”"
    kind: str
    history_type: str  # "+" created, "~" changed, "-" deleted
    user_id: int | None
    described: bool = False  # told in its own words, which name the object

    @property
    def names_subject(self) -> bool:
        """Creation, deletion and described events name the object in their text; a change
        needs it beside."""
        return self.described or self.history_type != "~"

    @property
    def sentence(self) -> str:
        return f"{capfirst(self.who)} {self.text} {self.when:%Y-%m-%d %H:%M}"


# Building entries -----------------------------------------------------------------------


def _shown_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field for field in model._meta.concrete_fields if field.editable and not field.primary_key
    ]


def _who(row: Any) -> str:
    if row.history_user_id is not None and row.history_user is not None:
        return str(row.history_user)
    if row.history_change_reason == IMPORT_REASON:
        return gettext("import")
    return gettext("the system")


class _Related:
    """Foreign keys of all entries, fetched with one query per related model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.found: dict[type[models.Model], dict[Any, models.Model]] = {}

    def want(self, field: models.Field[Any, Any], value: Any) -> None:
        if field.is_relation and value is not None:
            self.wanted[field.related_model].add(value)  # type: ignore[index]

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            select = RELATED_SELECT.get(model._meta.label, ())
            queryset = model._default_manager.select_related(*select)
            self.found[model] = queryset.in_bulk(ids)

    def name(self, field: models.Field[Any, Any], value: Any) -> str:
        obj = self.found.get(field.related_model, {}).get(value)  # type: ignore[arg-type]
        if obj is None:
            return gettext("(deleted, id %(id)s)") % {"id": value}
        return str(obj)


def _display(
    model: type[models.Model], field: models.Field[Any, Any], value: Any, related: _Related
) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if field.is_relation:
        return related.name(field, value)
    if field.choices:
        return str(capfirst(dict(field.flatchoices).get(value, value)))
    custom = getattr(model, f"get_{field.name}_display", None)
    if custom is not None:  # e.g. a risk's list of handling codes
        obj = model()
        setattr(obj, field.attname, value)
        shown = getattr(obj, f"get_{field.name}_display")()
        value = ", ".join(str(part) for part in shown) if isinstance(shown, list) else shown
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        value = ", ".join(str(part) for part in value)
    return Truncator(" ".join(str(value).split())).chars(SHORT)


@dataclass
class _Pending:
    kind: Kind
    row: Any
    previous: Any | None
    changes: list[tuple[models.Field[Any, Any], Any, Any]]
    m2m: list[tuple[models.ManyToManyField[Any, Any], frozenset[Any], frozenset[Any]]]


def _m2m_sets(kind: Kind, history_ids: set[int]) -> dict[str, dict[int, frozenset[Any]]]:
    """For each many-to-many field, the related ids each version had (one query per field)."""
    sets: dict[str, dict[int, frozenset[Any]]] = {}
    for field in kind.m2m_fields():
        through = _m2m_history(kind, field)
        target = field.m2m_reverse_name()
        collected: dict[int, set[Any]] = defaultdict(set)
        if history_ids:
            for history_id, target_id in through.objects.filter(
                history_id__in=history_ids
            ).values_list("history_id", target):
                collected[history_id].add(target_id)
        sets[field.name] = {key: frozenset(value) for key, value in collected.items()}
    return sets


def build_entries(items: Iterable[tuple[Kind, Any, Any | None]]) -> list[Entry]:
    """Entries for (kind, version, previous version) triples, in the order given."""
    items = list(items)
    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, row, previous in items:
        ids_by_kind[kind.key].add(row.history_id)
        if previous is not None:
            ids_by_kind[kind.key].add(previous.history_id)
    m2m = {key: _m2m_sets(KIND_BY_KEY[key], ids) for key, ids in ids_by_kind.items()}
    related = _Related()
    pending: list[_Pending] = []
    for kind, row, previous in items:
        changes, m2m_changes = [], []
        if row.history_type == "~" and previous is not None:
            for field in _shown_fields(kind.model):
                old, new = getattr(previous, field.attname), getattr(row, field.attname)
                if old != new:
                    changes.append((field, old, new))
                    related.want(field, old)
                    related.want(field, new)
            for m2m_field in kind.m2m_fields():
                sets = m2m[kind.key][m2m_field.name]
                before = sets.get(previous.history_id, frozenset())
                after = sets.get(row.history_id, frozenset())
                if before != after:
                    m2m_changes.append((m2m_field, before, after))
                    for value in before | after:
                        related.wanted[m2m_field.related_model].add(value)
        for name in (*kind.title_fields, *kind.named):
            related.want(kind.model._meta.get_field(name), getattr(row, f"{name}_id", None))  # type: ignore[arg-type]
        pending.append(_Pending(kind, row, previous, changes, m2m_changes))
    related.fetch()
    entries = []
    for item in pending:
        entry = _entry(item, related)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(item: _Pending, related: _Related) -> Entry | None:
    kind, row = item.kind, item.row
    title = " ".join(
        _display(kind.model, kind.model._meta.get_field(name), _value(row, name), related)  # type: ignore[arg-type]
        for name in kind.title_fields
    )
    subject = gettext("%(object)s “%(title)s”") % {
        "object": kind.the,
        "title": Truncator(title).chars(SHORT),
    }
    described = kind.describe(item, related, subject) if kind.describe is not None else None
    if described is not None:
        text = described
    elif row.history_type == "+":
        text = gettext("created %(subject)s") % {"subject": subject}
    elif row.history_type == "-":
        text = gettext("deleted %(subject)s") % {"subject": subject}
    else:
        phrases = [_change(kind.model, f, old, new, related) for f, old, new in item.changes]
        phrases += [
            _change_many(field, before, after, related) for field, before, after in item.m2m
        ]
        if not phrases:
            return None  # only bookkeeping changed, such as the version number
        text = gettext("changed %(changes)s") % {"changes": get_text_list(phrases, gettext("and"))}
    return Entry(
        when=timezone.localtime(row.history_date),
        who=_who(row),
        text=text,
        subject=subject,
        kind=kind.key,
        history_type=row.history_type,
        user_id=row.history_user_id,
        described=described is not None,
    )


def _value(row: Any, name: str) -> Any:
    field = row.instance_type._meta.get_field(name)
    return getattr(row, field.attname)


def _change(
    model: type[models.Model], field: models.Field[Any, Any], old: Any, new: Any, related: _Related
) -> str:
    values = {
        "field": field.verbose_name,
        "old": _display(model, field, old, related),
        "new": _display(model, field, new, related),
    }
    if values["old"] == "–":
        return gettext("%(field)s to %(new)s") % values
    return gettext("%(field)s from %(old)s to %(new)s") % values


def _change_many(
    field: models.ManyToManyField[Any, Any],
    before: frozenset[Any],
    after: frozenset[Any],
    related: _Related,
) -> str:
    def names(ids: frozenset[Any]) -> str:
        shown = sorted(Truncator(related.name(field, pk)).chars(SHORT) for pk in ids)
        return ", ".join(shown) or "–"

    values = {"field": field.verbose_name, "old": names(before), "new": names(after)}
    return gettext("%(field)s from %(old)s to %(new)s") % values


# One object's history --------------------------------------------------------------------


def _rows(kind: Kind, condition: Q) -> list[Any]:
    return list(
        kind.history._default_manager.filter(condition)
        .select_related("history_user")
        .order_by("history_id")
    )


def _in_order(kind: Kind, rows: list[Any]) -> list[tuple[Kind, Any, Any | None]]:
    """Each version with the one before it (rows hold every version of their objects)."""
    last: dict[Any, Any] = {}
    triples = []
    for row in rows:
        triples.append((kind, row, last.get(row.id)))
        last[row.id] = row
    return triples


def _risk_tree(risk: Risk) -> list[tuple[Kind, Any, Q]]:
    return [
        (KIND_BY_KEY["risk"], None, Q(id=risk.pk)),
        (KIND_BY_KEY["action"], None, Q(risk_id=risk.pk)),
        (KIND_BY_KEY["control_activity"], None, Q(risk_id=risk.pk)),
        (KIND_BY_KEY["follow_up"], _follow_ups_of_risk, Q(risk_id=risk.pk)),
    ]


def _follow_ups_of_risk(rows: dict[str, list[Any]]) -> Q:
    """A risk's follow-ups, also of its (deleted) actions and activities, by indexed columns.

    The ids come from the action and activity rows already read, so PostgreSQL combines three
    index scans instead of reading every historical follow-up against a subquery.
    """
    return Q(action_id__in={row.id for row in rows["action"]}) | Q(
        control_activity_id__in={row.id for row in rows["control_activity"]}
    )


def _parts(obj: models.Model) -> list[tuple[Kind, Any, Q]]:
    if isinstance(obj, Risk):
        return _risk_tree(obj)
    if isinstance(obj, ControlPlan):
        return [
            (KIND_BY_KEY["plan"], None, Q(id=obj.pk)),
            (KIND_BY_KEY["assessment"], None, Q(plan_id=obj.pk)),
        ]
    return [(KIND_BY_MODEL[type(obj)], None, Q(id=obj.pk))]


def history_for(obj: models.Model) -> list[Entry]:
    """The history of an object and what belongs to it on its page, newest first.

    A risk brings its actions, control activities and follow-ups (also deleted ones); a plan
    its assessment. A constant number of queries, however long the history.
    """
    triples = []
    rows: dict[str, list[Any]] = {}
    for kind, more, condition in _parts(obj):
        if more is not None:
            condition |= more(rows)
        rows[kind.key] = _rows(kind, condition)
        triples += _in_order(kind, rows[kind.key])
    triples.sort(key=lambda triple: (triple[1].history_date, triple[1].history_id), reverse=True)
    return build_entries(triples)


# The log across a scope ------------------------------------------------------------------


def _history(key: str) -> Any:
    return KIND_BY_KEY[key].history._default_manager


def _ids(queryset: QuerySet[Any]) -> Any:
    """The ids a scope step selects, as a list on PostgreSQL and a subquery elsewhere.

    PostgreSQL misjudges nested scope subqueries under OR (an hour-long plan on the country
    database); a list lets it use the column indexes. SQLite plans the subqueries well and
    limits the number of parameters, so it keeps them.
    """
    ids = queryset.order_by().values("id")
    if connection.vendor == "postgresql":
        return list(ids.distinct().values_list("id", flat=True))
    return ids


def widened(scope: LogScope) -> LogScope:
    """The scope as everything when the reader reads whole organisations and the instance holds
    no other (one municipality's own installation): then every row is in scope, and the log
    walks the time index instead of listing, say, every action of a city by id."""
    if scope.everything or not scope.organisations:
        return scope
    if Organisation.objects.exclude(pk__in=scope.organisations).exists():
        return scope
    return replace(scope, everything=True)


def scoped_conditions(scope: LogScope) -> dict[str, Q]:
    """Per kind, the historical rows in scope, judged by the rows' own plan and committee keys."""
    if scope.everything:
        return {kind.key: Q() for kind in KINDS}
    units = scope.units
    plans = _ids(_history("plan").filter(unit_id__in=units))
    risks = _ids(_history("risk").filter(Q(plan_id__in=plans) | Q(unit_id__in=units)))
    actions = _ids(_history("action").filter(risk_id__in=risks))
    activities = _ids(_history("control_activity").filter(risk_id__in=risks))
    reports = _ids(
        _history("audit_report").filter(
            Q(unit_id__in=units) | Q(organisation_id__in=scope.organisations)
        )
    )
    recommendations = _ids(_history("recommendation").filter(report_id__in=reports))
    return {
        "plan": Q(unit_id__in=units),
        "assessment": Q(plan_id__in=plans),
        "risk": Q(plan_id__in=plans) | Q(unit_id__in=units),
        "action": Q(risk_id__in=risks),
        "control_activity": Q(risk_id__in=risks),
        "follow_up": Q(action_id__in=actions)
        | Q(control_activity_id__in=activities)
        | Q(risk_id__in=risks)
        | Q(recommendation_id__in=recommendations),
        "audit_report": Q(unit_id__in=units) | Q(organisation_id__in=scope.organisations),
        "recommendation": Q(report_id__in=reports),
        # A proposal is read with its unit, and by the committee whose plan it is for.
        "nomination": Q(plan_id__in=plans) | Q(unit_id__in=units),
        "rollover_decision": Q(plan_id__in=plans) | Q(risk_id__in=risks),
    }


@dataclass(frozen=True)
class LogFilters:
    person: Any = None
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
RANK = {kind.key: rank for rank, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Cursor:
    """A place in the log, ordered newest first by (time, kind, history id); text in links."""

    when: datetime.datetime
    kind: str
    history_id: int

    def __str__(self) -> str:
        micros = (self.when - EPOCH) // datetime.timedelta(microseconds=1)
        return f"{micros}.{self.kind}.{self.history_id}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        micros, _, rest = (text or "").partition(".")
        kind, _, history_id = rest.partition(".")
        if kind not in RANK or not micros.isdigit() or not history_id.isdigit():
            return None
        when = EPOCH + datetime.timedelta(microseconds=int(micros))
        return cls(when, kind, int(history_id))

    def beyond(self, kind: Kind, older: bool) -> Q:
        """The rows of a kind past this place, towards older rows or towards newer ones."""
        sign = "lt" if older else "gt"
        if RANK[kind.key] == RANK[self.kind]:
            return Q(**{f"history_date__{sign}": self.when}) | Q(
                history_date=self.when, **{f"history_id__{sign}": self.history_id}
            )
        passed = RANK[kind.key] < RANK[self.kind] if older else RANK[kind.key] > RANK[self.kind]
        return Q(**{f"history_date__{sign}e" if passed else f"history_date__{sign}": self.when})


@dataclass(frozen=True)
class LogPage:
    """One page of the log: (kind, history_id, history_date) rows and the cursors around it."""

    rows: list[tuple[str, int, datetime.datetime]]
    older: Cursor | None
    newer: Cursor | None


def _conditions(scope: LogScope, filters: LogFilters) -> list[tuple[Kind, Q]]:
    conditions = scoped_conditions(scope)
    parts = []
    for kind in KINDS:
        if filters.kind and filters.kind != kind.key:
            continue
        condition = conditions[kind.key]
        if filters.person is not None:
            condition &= Q(history_user_id=filters.person.pk)
        if filters.date_from:
            condition &= Q(history_date__gte=_start_of(filters.date_from))
        if filters.date_to:
            condition &= Q(history_date__lt=_start_of(filters.date_to + datetime.timedelta(1)))
        if filters.text:
            condition &= Q(**{f"{kind.search_field}__icontains": filters.text})
        parts.append((kind, condition))
    return parts


def log_page(
    scope: LogScope,
    filters: LogFilters,
    older_than: Cursor | None = None,
    newer_than: Cursor | None = None,
    size: int = 50,
) -> LogPage:
    """A page of the versions in scope, newest first, after or before a cursor: one query per
    kind, each reading at most `size + 1` rows by index, and no count of the whole history."""
    scope = widened(scope)
    older = newer_than is None
    cursor = older_than if older else newer_than
    direction = "-" if older else ""
    # A limited scope is read through its key columns' indexes and then sorted: walking the
    # time index instead reads the whole history when the scope's rows are not the newest.
    when: Any = F("history_date") if scope.everything else F("history_date") + datetime.timedelta()
    found: list[tuple[str, int, datetime.datetime]] = []
    for kind, condition in _conditions(scope, filters):
        if cursor is not None:
            condition &= cursor.beyond(kind, older)
        found += [
            (kind.key, history_id, date)
            for history_id, date in kind.history._default_manager.filter(condition)
            .order_by(when.desc() if older else when.asc(), f"{direction}history_id")
            .values_list("history_id", "history_date")[: size + 1]
        ]
    found.sort(key=lambda row: (row[2], RANK[row[0]], row[1]), reverse=older)
    more, rows = len(found) > size, found[:size]
    if not older and not more:
        return log_page(scope, filters, size=size)  # back at the newest: the first page, full
    if not older:
        rows.reverse()
    first = Cursor(rows[0][2], rows[0][0], rows[0][1]) if rows else None
    last = Cursor(rows[-1][2], rows[-1][0], rows[-1][1]) if rows else None
    if older:
        return LogPage(rows, older=last if more else None, newer=first if cursor else None)
    return LogPage(rows, older=last, newer=first if more else None)


def entries_for_page(page_rows: Iterable[tuple[str, int, Any]]) -> list[Entry]:
    """Entries for one page of `log_page`: a few queries per kind on the page."""
    page_rows = list(page_rows)
    wanted: dict[str, list[int]] = defaultdict(list)
    for key, history_id, _date in page_rows:
        wanted[key].append(history_id)
    found: dict[tuple[str, int], tuple[Kind, Any, Any | None]] = {}
    for key, ids in wanted.items():
        kind = KIND_BY_KEY[key]
        for row, previous in _with_previous(kind, ids):
            found[(key, row.history_id)] = (kind, row, previous)
    return build_entries(found[(key, history_id)] for key, history_id, _date in page_rows)


def _with_previous(kind: Kind, history_ids: list[int]) -> list[tuple[Any, Any | None]]:
    manager = kind.history._default_manager
    before = manager.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
        "-history_id"
    )
    rows = list(
        manager.filter(history_id__in=history_ids)
        .select_related("history_user")
        .annotate(prior_history_id=Subquery(before.values("history_id")[:1]))
    )
    previous_ids = {row.prior_history_id for row in rows if row.prior_history_id is not None}
    previous = manager.in_bulk(previous_ids) if previous_ids else {}
    return [(row, previous.get(row.prior_history_id)) for row in rows]


def people(scope: LogScope) -> QuerySet[Any]:
    """The persons one may filter the log by: the users of the organisations in scope."""
    from internkontroll.accounts.models import User

    users = User.objects.order_by("first_name", "last_name", "username")
    if scope.everything:
        return users
    return users.filter(organisation_id__in=scope.readable_organisations)
