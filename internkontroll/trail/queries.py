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
from functools import cached_property
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.text import Truncator, capfirst, get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from internkontroll.access.trail import LogScope
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.nominations.models import Nomination
from internkontroll.organisation.models import Organisation, Unit
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

    @cached_property
    def history(self) -> type[models.Model]:
        # Once: simple_history's descriptor builds a new manager class on every access.
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
            queryset = model._default_manager.select_related(*select).order_by()
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


def _keys(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.order_by().values("id")


def _either(*querysets: QuerySet[Any]) -> QuerySet[Any]:
    """The ids any of the querysets selects, as one subquery: a union, whose parts the database
    reads by their own indexes, where an OR of subqueries would read the whole table."""
    first, *rest = (_keys(queryset) for queryset in querysets)
    return first.union(*rest, all=True) if rest else first


def widened(scope: LogScope) -> LogScope:
    """The scope as everything when the reader reads whole organisations and the instance holds
    no other (one municipality's own installation): then every row is in scope, and the log
    walks the time index instead of looking the scope up."""
    if scope.everything or not scope.organisations:
        return scope
    if Organisation.objects.exclude(pk__in=scope.organisations).exists():
        return scope
    return replace(scope, everything=True)


class Probe(Exists):
    """EXISTS, looked up for each row the database reads rather than joined.

    PostgreSQL would join the subquery, which reads the whole scope before the first row;
    OFFSET 0 keeps it a check per row, a few index lookups for each row of the time index
    walked.
    """

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = self.as_sql(compiler, connection, **extra)
        return f"{sql.removesuffix(')')} OFFSET 0)", params


def _in_units(scope: LogScope) -> Q:
    """The rows of the scope's units, by unit key. A whole organisation's units go as a
    subquery: a thousand ids written out, once in each check, cost PostgreSQL more to plan
    than to run the query."""
    if not scope.organisations:
        return Q(unit_id__in=sorted(scope.units))
    whole = Q(organisation_id__in=sorted(scope.organisations))
    others = list(
        Unit.objects.filter(pk__in=scope.units).exclude(whole).values_list("pk", flat=True)
    )
    return Q(unit_id__in=Unit.objects.filter(whole | Q(pk__in=others)).values("pk"))


def scoped_branches(scope: LogScope, by_unit: Q) -> dict[str, list[Q]]:
    """Per kind, the historical rows in scope as alternatives, judged by the rows' own plan and
    committee keys; together they select the rows in scope (some more than once).

    Each alternative is one column among the ids of a subquery, which the database looks up
    by that column's index: cheap while the scope is a small part of the instance.
    """
    if scope.everything:
        return {kind.key: [Q()] for kind in KINDS}
    wide = [Q(organisation_id__in=sorted(scope.organisations))] if scope.organisations else []
    plans = _keys(_history("plan").filter(by_unit))
    risks = _either(_history("risk").filter(plan_id__in=plans), _history("risk").filter(by_unit))
    actions = _keys(_history("action").filter(risk_id__in=risks))
    activities = _keys(_history("control_activity").filter(risk_id__in=risks))
    reports = _either(*(_history("audit_report").filter(q) for q in [by_unit, *wide]))
    recommendations = _keys(_history("recommendation").filter(report_id__in=reports))
    return {
        "plan": [by_unit],
        "assessment": [Q(plan_id__in_ids=plans)],
        "risk": [Q(plan_id__in_ids=plans), by_unit],
        "action": [Q(risk_id__in_ids=risks)],
        "control_activity": [Q(risk_id__in_ids=risks)],
        "follow_up": [
            Q(action_id__in_ids=actions),
            Q(control_activity_id__in_ids=activities),
            Q(risk_id__in_ids=risks),
            Q(recommendation_id__in_ids=recommendations),
        ],
        "audit_report": [by_unit, *wide],
        "recommendation": [Q(report_id__in_ids=reports)],
        # A proposal is read with its unit, and by the committee whose plan it is for.
        "nomination": [Q(plan_id__in_ids=plans), by_unit],
        "rollover_decision": [Q(plan_id__in_ids=plans), Q(risk_id__in_ids=risks)],
    }


def walked_conditions(scope: LogScope, by_unit: Q) -> dict[str, Q]:
    """Per kind, the same rows as `scoped_branches`, as one check of each row's own keys: for
    walking the time index when the scope is a large part of the instance, where the first
    page lies among the newest rows and looking the whole scope up would cost the most."""
    if scope.everything:
        return {kind.key: Q() for kind in KINDS}
    # Reports of the reader's whole organisations; Q() adds nothing to an OR.
    wide = Q(organisation_id__in=sorted(scope.organisations)) if scope.organisations else Q()
    in_plans = Q(plan_id__in=_keys(_history("plan").filter(by_unit)))

    def one(key: str, column: str, condition: Q) -> Q:
        return Q(Probe(_history(key).filter(condition, id=OuterRef(column))))

    def risk(column: str) -> Q:
        return one("risk", column, in_plans | by_unit)

    def report(column: str) -> Q:
        return one("audit_report", column, by_unit | wide)

    return {
        "plan": by_unit,
        "assessment": in_plans,
        "risk": in_plans | by_unit,
        "action": risk("risk_id"),
        "control_activity": risk("risk_id"),
        "follow_up": one("action", "action_id", risk("risk_id"))
        | one("control_activity", "control_activity_id", risk("risk_id"))
        | risk("risk_id")
        | one("recommendation", "recommendation_id", report("report_id")),
        "audit_report": by_unit | wide,
        "recommendation": report("report_id"),
        "nomination": in_plans | by_unit,
        "rollover_decision": in_plans | risk("risk_id"),
    }


@dataclass(frozen=True)
class LogFilters:
    person: str = ""  # a user id, or words of a name or user name
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


def _conditions(scope: LogScope, filters: LogFilters) -> tuple[bool, list[tuple[Kind, list[Q]]]]:
    """Whether to walk the time index, and per kind the alternatives to read."""
    by_unit = Q() if scope.everything else _in_units(scope)
    # A person's or a text's rows may be few and old: walking could read the whole history,
    # where reading the scope costs at most its size.
    walk = scope.everything or (not (filters.person or filters.text) and large(scope))
    if walk:
        branches = {key: [q] for key, q in walked_conditions(scope, by_unit).items()}
    else:
        branches = scoped_branches(scope, by_unit)
    common = Q()
    if filters.person:
        common &= Q(history_user_id__in=authors(scope, filters.person).values("pk"))
    if filters.date_from:
        common &= Q(history_date__gte=_start_of(filters.date_from))
    if filters.date_to:
        common &= Q(history_date__lt=_start_of(filters.date_to + datetime.timedelta(1)))
    parts = []
    for kind in KINDS:
        if filters.kind and filters.kind != kind.key:
            continue
        condition = common
        if filters.text:
            condition &= Q(**{f"{kind.search_field}__icontains": filters.text})
        parts.append((kind, [branch & condition for branch in branches[kind.key]]))
    return walk, parts


# The part of the instance's units above which a scope walks the time index: the first page's
# rows then lie among the newest, and looking every row of the scope up costs more.
LARGE = 1 / 100


def large(scope: LogScope) -> bool:
    """Whether the scope's units are a large part of the instance's (one small query)."""
    return len(scope.units) >= LARGE * Unit.objects.count()


def log_page(
    scope: LogScope,
    filters: LogFilters,
    older_than: Cursor | None = None,
    newer_than: Cursor | None = None,
    size: int = 50,
) -> LogPage:
    """A page of the versions in scope, newest first, after or before a cursor: one query per
    kind and way into the scope, each reading at most `size + 1` rows, and no count of the
    whole history."""
    scope = widened(scope)
    older = newer_than is None
    cursor = older_than if older else newer_than
    direction = "-" if older else ""
    # A small scope is read through its key columns' indexes and then sorted: walking the
    # time index instead would read far into the history before its rows.
    walk, parts = _conditions(scope, filters)
    when: Any = F("history_date") if walk else F("history_date") + datetime.timedelta()
    found: list[tuple[str, int, datetime.datetime]] = []
    for kind, branches in parts:
        seen: set[tuple[str, int, datetime.datetime]] = set()
        for condition in branches:
            if cursor is not None:
                condition &= cursor.beyond(kind, older)
            seen.update(
                (kind.key, history_id, date)
                for history_id, date in kind.history._default_manager.filter(condition)
                .order_by(when.desc() if older else when.asc(), f"{direction}history_id")
                .values_list("history_id", "history_date")[: size + 1]
            )
        found += seen
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


def authors(scope: LogScope, person: str) -> QuerySet[Any]:
    """The persons a person filter names: one by id, or those whose names hold every word."""
    users = people(scope)
    if person.isdigit():
        return users.filter(pk=int(person))
    for word in person.split():
        users = users.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    return users
