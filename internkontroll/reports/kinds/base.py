"""What every report kind shares: its registration, what it is made from, its frame.

A kind is one module in this package: what it selects, how it is laid out and its summary, in
a `make(context) -> Body` function, registered with a `Kind` in `kinds/__init__.py`. The frame
(title, facts under it, introduction, summary, matrix, numbering, file name) is added here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from internkontroll.access.plans import WHOLE, PlanReading
from internkontroll.organisation.models import Organisation, Period
from internkontroll.plans.models import AdoptedVersion, ControlPlan
from internkontroll.reports import introductions
from internkontroll.reports.blocks import iso, label
from internkontroll.reports.document import (
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    file_stem,
    number_sections,
)
from internkontroll.reports.introductions import paragraphs
from internkontroll.reports.loading import Snapshot, load
from internkontroll.reports.matrix import MatrixPicture
from internkontroll.reports.rows import Assembler, period_start


class ReportError(Exception):
    """The report cannot be made as asked; the message says why, in Swedish."""


@dataclass
class Body:
    """What a kind lays out: the frame around it is the same for every kind."""

    summary: list[str]
    sections: list[Section]
    sheets: list[Table]
    empty: bool = False
    matrix: MatrixPicture | None = None
    key_fields: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    name: str
    title: Callable[[], str]
    make: Callable[[Context], Body]
    takes_period: bool = False
    organisation_wide: bool = False
    # The committee's own decisions: not for a reader who sees only part of the plan.
    whole_plan: bool = False
    # Whether the auditors' reports are loaded.
    audits: bool = False
    # A document the committee adopts: while its plan is not adopted it is titled a proposal.
    proposed: bool = False


@dataclass
class Context:
    """One request for a report: the plan, the period, the day, the reader and the data."""

    kind: Kind
    plan: ControlPlan
    period: Period | None
    as_of: datetime.date | None
    reading: PlanReading
    snapshot: Snapshot
    # The plan's row as it is now (the report's `plan` may be a historical or frozen copy).
    current: ControlPlan

    @cached_property
    def cutoff(self) -> datetime.date:
        """The day the report tells the state of: `as_of`, else the period's end, else today.

        A period that has not ended yet is told as it stands today: nothing after today is
        known, and an action due later in the period is not late yet."""
        if self.as_of:
            return self.as_of
        today = timezone.localdate()
        if self.period is not None:
            return min(self.period.end_date(self.plan.year), today)
        return today

    @property
    def running_period_end(self) -> datetime.date | None:
        """The end of the report's period if it has not come yet (the report is preliminary)."""
        if self.as_of or self.period is None:
            return None
        end = self.period.end_date(self.plan.year)
        return end if self.cutoff < end else None

    @cached_property
    def assembler(self) -> Assembler:
        return Assembler(self.snapshot, self.plan, self.period, self.cutoff)

    @property
    def committee(self) -> str:
        unit = self.snapshot.units.get(self.plan.unit_id)
        return unit.name if unit else ""

    @property
    def period_text(self) -> str:
        """ "Tertial 1 (2026-01-01 – 2026-04-30)"."""
        period, year = self.period, self.plan.year
        if period is None:
            return ""
        start = period_start(self.snapshot.periods, period, year)
        return f"{period.name} ({iso(start)} – {iso(period.end_date(year))})"


def plan_snapshot(
    plan: ControlPlan, as_of: datetime.date | None, reading: PlanReading, *, audits: bool = False
) -> tuple[Snapshot, ControlPlan]:
    """The plan's rows the reader may read (as they stood on `as_of`); the plan as it was then.

    The auditors' recommendations are the committee's: only a reader of the whole plan gets them.
    """
    organisation = Organisation.objects.get(pk=plan.unit.organisation_id)
    snapshot = load(
        organisation,
        year=plan.year,
        unit_ids=[plan.unit_id],
        as_of=as_of,
        audits=audits and reading.whole,
        risk_filter=reading.risk_filter(),
    )
    stored = next((p for p in snapshot.plans if p.pk == plan.pk), None)
    if stored is None:
        raise ReportError(
            _("The plan for %(year)s did not exist on %(date)s.")
            % {"year": plan.year, "date": as_of}
        )
    return snapshot, stored


def context_for(
    kind: Kind,
    plan: ControlPlan,
    period: Period | None = None,
    as_of: datetime.date | None = None,
    reading: PlanReading = WHOLE,
    snapshot: tuple[Snapshot, ControlPlan] | None = None,
) -> Context:
    if kind.organisation_wide:
        organisation = Organisation.objects.get(pk=plan.unit.organisation_id)
        loaded = (load(organisation, year=plan.year, as_of=as_of), plan)
    else:
        loaded = snapshot or plan_snapshot(plan, as_of, reading, audits=kind.audits)
    data, stored = loaded
    if period is not None:
        period = data.period(period.pk) or period
    return Context(kind, stored, period, as_of, reading, data, plan)


def meta(context: Context) -> list[tuple[str, str]]:
    """The facts under the title."""
    plan, snapshot = context.plan, context.snapshot
    if context.kind.organisation_wide:
        lines = [(label("organisation"), snapshot.organisation.name)]
    else:
        lines = [(label("committee"), context.committee)]
    lines.append((label("year"), str(plan.year)))
    if context.period is not None:
        lines.append((label("period"), context.period_text))
    if not context.kind.organisation_wide:
        if plan.reference:
            lines.append((_("Reference number"), plan.reference))
        if plan.adopted_on:
            lines.append((label("adopted on"), iso(plan.adopted_on)))
        else:
            lines.append((_("Status"), _("Proposal: the plan is not yet adopted by the committee")))
    if context.as_of or context.period is not None:
        lines.append((_("Situation as of"), iso(context.cutoff)))
    if (ends := context.running_period_end) is not None:
        lines.append(
            (
                _("Preliminary report"),
                _("The period ends %(date)s: the report shows the situation so far.")
                % {"date": iso(ends)},
            )
        )
    lines.append((_("Report made on"), iso(timezone.localdate())))
    adopted = snapshot.adopted
    if adopted is not None:
        lines.append((_("Version"), version_text(adopted)))
    excerpt = context.reading.excerpt_of(snapshot.units.values())
    if excerpt:
        lines.append(
            (_("Excerpt"), _("Only the risks identified by %(units)s.") % {"units": excerpt})
        )
    return lines


def version_text(version: AdoptedVersion) -> str:
    """ "Fastställd av nämnden 2024-12-12 (registrerad 2025-01-10)"."""
    text = (
        _("Adopted by the committee on %(date)s")
        if version.kind == AdoptedVersion.Kind.PLAN
        else _("Decided by the committee on %(date)s")
    ) % {"date": iso(version.decided_on)}
    if version.created_at:
        registered = timezone.localdate(version.created_at)
        text += " " + _("(registered %(date)s)") % {"date": iso(registered)}
    return text


def frame(context: Context, body: Body) -> Document:
    """The kind's body in the frame every document has."""
    kind, plan = context.kind, context.plan
    organisation = context.snapshot.organisation.name
    whom = organisation if kind.organisation_wide else context.committee
    title = f"{kind.title()} {plan.year}"
    if kind.proposed and not plan.adopted_on:
        title = _("Proposed %(document)s") % {"document": title[:1].lower() + title[1:]}
    subtitle = f"{whom} – {context.period_text}" if context.period is not None else whom
    adopted = context.snapshot.adopted
    if adopted is not None:
        subtitle = f"{whom} – {version_text(adopted)}"
    if kind.organisation_wide or not plan.reference:
        running_head = whom
    else:
        running_head = f"{whom} · {_('Ref.')} {plan.reference}"
    empty_message = (
        _("There is nothing to report for %(committee)s for %(year)s.")
        % {"committee": whom, "year": plan.year}
        if body.empty
        else ""
    )
    introduction = paragraphs(introductions.introduction(context.current, kind.name))
    summary = Section(_("Summary"), 1, [Paragraph(text) for text in body.summary])
    if empty_message:
        summary.blocks.append(Paragraph(empty_message))
    sections = [Section(_("Introduction"), 1, [Paragraph(text) for text in introduction])]
    sections.append(summary)
    matrix = body.matrix if body.matrix is not None and body.matrix.assessed else None
    if not body.empty:
        if matrix is not None:
            sections.append(Section(_("Risk matrix"), 1, [Figure(matrix)]))
        sections += body.sections
    number_sections(sections)
    stem = [kind.title(), whom, plan.year]
    if context.period is not None:
        stem.append(context.period.code)
    if adopted is not None:
        stem += [_("adopted"), adopted.decided_on.isoformat()]
    elif context.as_of:
        stem.append(context.as_of.isoformat())
    return Document(
        title=title,
        subtitle=subtitle,
        running_head=running_head,
        author=organisation,
        meta=meta(context),
        summary=body.summary,
        sections=sections,
        sheets=[] if body.empty else body.sheets,
        filename_stem=file_stem(*stem),
        key_fields=body.key_fields,
        matrix=matrix,
        empty_message=empty_message,
    )
