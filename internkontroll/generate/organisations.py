"""One synthetic organisation: its tree, people, plans, follow-ups and audits, years deep.

Everything is drawn from one random stream per organisation (seed and position), so the same
seed gives the same organisation whatever else is generated. Rows go out through the bulk
writer with the values the models' rules allow: dates on or before today, due dates around
the plan's year, assessments inside the plan's matrix, units inside the plan's committee.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, product
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.generate import vocabulary as words
from internkontroll.generate.bulk import BulkWriter, Table
from internkontroll.generate.profiles import Profile
from internkontroll.organisation.defaults import DEFAULT_PERIODS, DEFAULT_RISK_MATRIX
from internkontroll.organisation.models import (
    Goal,
    Organisation,
    Period,
    Process,
    RiskArea,
    RiskMatrix,
    Unit,
)
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk

FIVE_BY_FIVE: dict[str, Any] = {
    "probability": ["Mycket osannolik", "Osannolik", "Möjlig", "Sannolik", "Mycket sannolik"],
    "consequence": ["Obetydlig", "Lindrig", "Måttlig", "Allvarlig", "Mycket allvarlig"],
    "levels": [
        {"name": "Låg", "min_score": 1, "color": "#2e7d32"},
        {"name": "Medel", "min_score": 5, "color": "#f9a825"},
        {"name": "Hög", "min_score": 10, "color": "#ef6c00"},
        {"name": "Kritisk", "min_score": 16, "color": "#c62828"},
    ],
}
HALF_YEAR_PERIODS = [
    {"code": "DB", "name": "Delårsbokslut", "ends": "08-31"},
    {"code": "VB", "name": "Verksamhetsberättelse", "ends": "12-31"},
]


class Weighted:
    """Choices with their weights, drawn from a random stream."""

    def __init__(self, *pairs: tuple[Any, int]) -> None:
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(accumulate(weight for _value, weight in pairs))

    def draw(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


# How likely each step of a scale is, lowest first: most risks sit in the middle.
STEPS = {
    size: Weighted(*enumerate(weights, start=1))
    for size, weights in {
        3: (3, 5, 2),
        4: (2, 4, 3, 1),
        5: (2, 3, 3, 2, 1),
        6: (1, 2, 3, 3, 2, 1),
    }.items()
}
HANDLINGS = Weighted(
    (("mitigate",), 34),
    (("mitigate", "review"), 26),
    (("review",), 14),
    (("mitigate", "improve"), 8),
    (("improve",), 6),
    (("accept",), 8),
    (("accept", "review"), 4),
)
RESULTS = Weighted(("no_remarks", 80), ("deviation", 13), ("not_done", 7))
# Periods an action is finished after its planned end: most on time, some late.
DELAYS = Weighted((0, 60), (1, 28), (2, 12))
# Periods an action that is never finished is still reported on before it is forgotten.
MAX_REPORTED_PERIODS = 6

FIELDS: dict[type, tuple[str, ...]] = {
    Organisation: ("name", "risk_matrix_id"),
    RiskMatrix: (
        "organisation_id",
        "probability_labels",
        "consequence_labels",
        "levels",
        "cells",
        "created_at",
    ),
    Period: ("organisation_id", "code", "name", "ends_month", "ends_day", "position"),
    Unit: ("organisation_id", "external_id", "name", "kind", "parent_id"),
    RiskArea: ("organisation_id", "name"),
    Process: ("organisation_id", "name"),
    Goal: ("organisation_id", "external_id", "unit_id", "year", "title"),
    User: (
        "password",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_superuser",
        "is_active",
        "date_joined",
        "organisation_id",
        "pending_email",
    ),
    RoleAssignment: ("user_id", "organisation_id", "unit_id", "role"),
    ControlPlan: ("unit_id", "year", "adopted_on", "reference", "risk_matrix_id"),
    Assessment: ("plan_id", "verdict", "decided_on", "analysis"),
    Risk: (
        "plan_id",
        "external_id",
        "title",
        "unit_id",
        "area_id",
        "process_id",
        "goal_id",
        "description",
        "consequence_description",
        "existing_controls",
        "probability",
        "consequence",
        "target_probability",
        "target_consequence",
        "handling",
        "planned_handling",
    ),
    Action: (
        "risk_id",
        "external_id",
        "title",
        "description",
        "responsible",
        "assignee_id",
        "due_date",
        "status",
    ),
    ControlActivity: (
        "risk_id",
        "external_id",
        "title",
        "working_method",
        "systematic_control",
        "description",
        "method",
        "sample",
        "responsible",
        "assignee_id",
        "frequency",
        "due_date",
    ),
    FollowUp: (
        "action_id",
        "control_activity_id",
        "risk_id",
        "recommendation_id",
        "period_id",
        "date",
        "status",
        "on_track",
        "result",
        "comment",
    ),
    AuditReport: ("organisation_id", "external_id", "unit_id", "title", "auditor", "date"),
    Recommendation: ("report_id", "external_id", "text", "response", "status"),
}


def login_prefix(name: str) -> str:
    """What the usernames of an organisation's generated people begin with."""
    city = name.endswith(" stad")
    return slugify(place_of(name)) + ("-stad" if city else "") + "-"


def organisation_names(profile: Profile, seed: int) -> list[str]:
    """The organisations' names, different from each other, drawn from the seed."""
    rng = random.Random(f"{seed}:names")  # noqa: S311 - reproducible on purpose, no secret
    places = [joined(head, tail) for head, tail in product(words.PLACE_HEADS, words.PLACE_TAILS)]
    chosen = rng.sample(places, profile.organisations)
    suffix = "stad" if profile.city else "kommun"
    return [f"{place}{genitive(place)} {suffix}" for place in chosen]


def joined(head: str, tail: str) -> str:
    """A compound place name, written as Swedish writes one: never three of a letter in a row
    ("Vall" + "lunda" is "Vallunda")."""
    if len(head) > 1 and head[-1] == head[-2] == tail[0]:
        return head + tail[1:]
    return head + tail


def genitive(place: str) -> str:
    return "" if place[-1] in "aeiouyåäös" else "s"


def place_of(organisation_name: str) -> str:
    place = organisation_name.rsplit(" ", 1)[0]
    return place[:-1] if place.endswith("s") and place[-2] not in "aeiouyåäös" else place


@dataclass
class UnitRow:
    pk: int
    external_id: str
    name: str
    kind: str
    parent: UnitRow | None
    responsible: int | None = None  # the user responsible for its items


@dataclass
class ProcessRow:
    pk: int
    words: words.ProcessWords


@dataclass
class Owner:
    """A committee or company that owns plans, with what its plans draw from."""

    unit: UnitRow
    words: words.CommitteeWords
    abbreviation: str
    processes: list[ProcessRow]
    below: list[UnitRow] = field(default_factory=list)
    coordinator: int | None = None
    goals: dict[int, list[int]] = field(default_factory=dict)
    # Recommendations of last year's audits and their dates, taken up in this year's risks.
    recommendations: list[tuple[int, datetime.date]] = field(default_factory=list)
    themes: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Summary:
    """What one organisation came to, for the progress line."""

    name: str
    risks: int = 0
    actions: int = 0
    follow_ups: int = 0
    logins: dict[str, str] = field(default_factory=dict)


class OrganisationBuilder:
    def __init__(
        self,
        writer: BulkWriter,
        profile: Profile,
        *,
        name: str,
        seed: int,
        position: int,
        password_hash: str,
        now: datetime.datetime,
    ) -> None:
        self.writer = writer
        self.profile = profile
        self.name = name
        self.rng = random.Random(f"{seed}:{position}")  # noqa: S311 - reproducible, no secret
        self.password_hash = password_hash
        self.now = now
        self.today = timezone.localdate(now)
        self.zone = timezone.get_current_timezone()
        self.last_year = self.today.year
        self.first_year = self.last_year - profile.years + 1
        self.place = place_of(name)
        self.prefix = login_prefix(name)
        self.code = slugify(self.place)
        self.tables = {model: writer.table(model, names) for model, names in FIELDS.items()}
        self.summary = Summary(name)
        self.used_names: set[str] = set()
        self.used_ids: set[str] = set()
        self.usernames: dict[int, str] = {}
        self.user_numbers: dict[str, int] = {}
        self.admin: int | None = None
        self.period_ends: dict[int, datetime.date] = {}

    def t(self, model: type) -> Table:
        return self.tables[model]

    # Dates and moments

    def moment(self, day: datetime.date, minutes: int = 0) -> datetime.datetime:
        """A working-day moment of `day` (8:00 plus minutes), never later than now."""
        hour, minute = divmod(480 + minutes % 540, 60)
        value = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)
        return value if day < self.today else min(value, self.now)

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        last = min(last, self.today)
        if last <= first:
            return min(first, self.today)
        return first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))

    def period_end(self, index: int) -> datetime.date:
        """The end of the index-th period counted from the first year's first period."""
        end = self.period_ends.get(index)
        if end is None:
            year, position = divmod(index, len(self.periods))
            end = self.period_ends[index] = self.periods[position][1].end_date(
                self.first_year + year
            )
        return end

    # The whole organisation

    def build(self, on_year: Callable[[int, Summary], None] | None = None) -> Summary:
        rng = self.rng
        self.started = self.moment(datetime.date(self.first_year - 1, 8, 1 + rng.randrange(20)))
        self.setup()
        self.make_units()
        self.make_people()
        self.make_processes()
        for year in range(self.first_year, self.last_year + 1):
            self.make_goals(year)
            for owner in self.owners:
                self.make_plan(owner, year)
            self.make_audits(year)
            if on_year is not None:
                on_year(year, self.summary)
        return self.summary

    def setup(self) -> None:
        rng = self.rng
        matrix_document = FIVE_BY_FIVE if rng.random() < 0.25 else DEFAULT_RISK_MATRIX
        periods = HALF_YEAR_PERIODS if rng.random() < 0.2 else DEFAULT_PERIODS
        self.organisation = self.writer.ids_for(Organisation).take()
        matrix_fields = RiskMatrix.fields_from_document(matrix_document)
        self.matrix = self.t(RiskMatrix).add(
            (
                self.organisation,
                matrix_fields["probability_labels"],
                matrix_fields["consequence_labels"],
                matrix_fields["levels"],
                matrix_fields["cells"],
                self.started,
            ),
            at=self.started,
            by=None,
        )
        self.t(Organisation).add(
            (self.name, self.matrix), at=self.started, by=None, pk=self.organisation
        )
        self.matrix_model = RiskMatrix(**matrix_fields)
        self.periods: list[tuple[int, Period]] = []
        for position, period in enumerate(periods):
            month, day = (int(part) for part in period["ends"].split("-"))
            row = (self.organisation, period["code"], period["name"], month, day, position)
            pk = self.t(Period).add(row, at=self.started, by=None)
            self.periods.append((pk, Period(code=period["code"], ends_month=month, ends_day=day)))
        self.areas = {
            key: self.t(RiskArea).add((self.organisation, name), at=self.started, by=None)
            for key, name in words.RISK_AREAS.items()
        }
        self.levels = {
            (p, c): self.matrix_model.level_for(p, c).rank
            for p in range(1, self.matrix_model.probability_size + 1)
            for c in range(1, self.matrix_model.consequence_size + 1)
        }
        self.top_rank = len(self.matrix_model.levels) - 1

    # The tree

    def unit_name(self, pattern: str) -> str:
        """A name not yet used in the organisation, with a place where the pattern asks."""
        for _attempt in range(20):
            name = pattern.replace("{place}", self.place_name())
            if name not in self.used_names:
                break
        else:
            number = 2
            while f"{name} {number}" in self.used_names:
                number += 1
            name = f"{name} {number}"
        self.used_names.add(name)
        return name

    def place_name(self) -> str:
        return self.rng.choice(words.PLACE_HEADS) + self.rng.choice(words.PLACE_TAILS)

    def add_unit(self, name: str, kind: str, parent: UnitRow | None) -> UnitRow:
        base = slugify(name)[:90] or "enhet"
        external_id, number = base, 2
        while external_id in self.used_ids:
            external_id, number = f"{base}-{number}", number + 1
        self.used_ids.add(external_id)
        row = (self.organisation, external_id, name, kind, parent.pk if parent else None)
        pk = self.t(Unit).add(row, at=self.started, by=None)
        return UnitRow(pk, external_id, name, kind, parent)

    def committee_words(self, count: int) -> list[words.CommitteeWords]:
        if self.profile.city:
            chosen = list(words.CITY_COMMITTEES[:count])
            while len(chosen) < count:
                district = words.DISTRICT_COMMITTEE
                chosen.append(district)
            return chosen
        first, *others = words.MUNICIPAL_COMMITTEES
        return [first, *self.rng.sample(others, min(count - 1, len(others)))]

    def make_units(self) -> None:
        rng, profile = self.rng, self.profile
        council = self.add_unit("Kommunfullmäktige", Unit.Kind.COUNCIL, None)
        count = rng.randint(*profile.committees)
        target = rng.randint(*profile.units)
        chosen = self.committee_words(count)
        if rng.random() < profile.companies:
            chosen.append(
                words.CommitteeWords(
                    f"{self.place} Bostäder AB", "BAB", "", ("technical", "central"), 1
                )
            )
        self.owners: list[Owner] = []
        abbreviations: set[str] = set()
        for committee in chosen:
            is_company = committee.name.endswith(" AB")
            place = self.place_name() if "{place}" in committee.name else ""
            name = self.unit_name(committee.name.replace("{place}", place))
            abbreviation = committee.abbreviation + (f"-{place[:3].upper()}" if place else "")
            while abbreviation in abbreviations:
                abbreviation += "X"
            abbreviations.add(abbreviation)
            kind = Unit.Kind.COMPANY if is_company else Unit.Kind.COMMITTEE
            unit = self.add_unit(name, kind, None if is_company else council)
            self.owners.append(Owner(unit, committee, abbreviation, []))
            if not is_company:
                administration = committee.administration.replace("{place}", place)
                self.owners[-1].below.append(
                    self.add_unit(self.unit_name(administration), Unit.Kind.ADMINISTRATION, unit)
                )
        remaining = max(target - 1 - sum(1 + len(o.below) for o in self.owners), len(chosen))
        weights = [owner.words.weight for owner in self.owners]
        shares = _split(remaining, weights)
        for owner, share in zip(self.owners, shares, strict=True):
            self.make_departments(owner, max(share, 1))

    def make_departments(self, owner: Owner, count: int) -> None:
        rng = self.rng
        top = owner.below[0] if owner.below else owner.unit
        domains = [words.DOMAINS[key] for key in owner.words.domains]
        names = [name for domain in domains for name in domain.departments]
        departments = min(len(names), max(1, count // 6))
        suffix = f" – {top.name}" if owner.below else ""
        made = [
            self.add_unit(self.unit_name(name + suffix), Unit.Kind.DEPARTMENT, top)
            for name in rng.sample(names, departments)
        ]
        kinds = [kind for domain in domains for kind in domain.unit_kinds]
        for number in range(count - departments):
            parent = made[number % len(made)]
            made.append(self.add_unit(self.unit_name(rng.choice(kinds)), Unit.Kind.UNIT, parent))
        owner.below.extend(made)

    # People

    def make_people(self) -> None:
        self.admin = self.add_user("admin", Role.ADMIN, None)
        for owner in self.owners:
            owner.coordinator = self.add_user("samordnare", Role.COORDINATOR, owner.unit)
            self.add_user("lasare", Role.READER, owner.unit)
            for unit in owner.below:
                if unit.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.UNIT):
                    unit.responsible = self.add_user("ansvarig", Role.RESPONSIBLE, unit)
        reader = self.add_user("lasare", Role.READER, None)
        self.add_user("lasare", Role.READER, None)
        auditor = self.add_user("revisor", Role.AUDITOR, None)
        self.add_user("revisor", Role.AUDITOR, None)
        responsible = next(u.responsible for o in self.owners for u in o.below if u.responsible)
        self.summary.logins = {
            role: self.usernames[pk]
            for role, pk in (
                (Role.ADMIN, self.admin),
                (Role.COORDINATOR, self.owners[0].coordinator),
                (Role.RESPONSIBLE, responsible),
                (Role.READER, reader),
                (Role.AUDITOR, auditor),
            )
            if pk is not None
        }

    def add_user(self, kind: str, role: str, unit: UnitRow | None) -> int:
        rng = self.rng
        number = self.user_numbers[kind] = self.user_numbers.get(kind, 0) + 1
        username = f"{self.prefix}{kind}" + (f"-{number}" if kind != "admin" else "")
        user = self.t(User).add(
            (
                self.password_hash,
                username,
                rng.choice(words.FIRST_NAMES),
                rng.choice(words.LAST_NAMES),
                f"{username}@{self.code}.example",
                False,
                False,
                True,
                self.started,
                self.organisation,
                "",
            ),
            at=self.started,
            by=None,
        )
        self.usernames[user] = username
        row = (user, self.organisation, unit.pk if unit else None, role)
        self.t(RoleAssignment).add(row, at=self.started, by=self.admin)
        return user

    def make_processes(self) -> None:
        made: dict[str, ProcessRow] = {}

        def process(process_words: words.ProcessWords) -> ProcessRow:
            if process_words.name not in made:
                row = (self.organisation, process_words.name)
                pk = self.t(Process).add(row, at=self.started, by=self.admin)
                made[process_words.name] = ProcessRow(pk, process_words)
            return made[process_words.name]

        for owner in self.owners:
            own = [p for key in owner.words.domains for p in words.DOMAINS[key].processes]
            general = self.rng.sample(words.GENERAL_PROCESSES, 6)
            owner.processes = [process(p) for p in [*own, *general]]

    # Goals, plans and everything in them

    def make_goals(self, year: int) -> None:
        rng = self.rng
        at = self.moment(datetime.date(year - 1, 12, 1 + rng.randrange(20)))
        titles = rng.sample(words.ORGANISATION_GOALS, self.profile.organisation_goals)
        self.organisation_goals = [
            self.t(Goal).add(
                (self.organisation, f"{year}-{number}", None, year, title), at=at, by=self.admin
            )
            for number, title in enumerate(titles, start=1)
        ]
        for owner in self.owners:
            owner.goals[year] = [
                self.t(Goal).add(
                    (self.organisation, f"{year}-{owner.abbreviation}-{n}", owner.unit.pk, year, t),
                    at=at,
                    by=owner.coordinator,
                )
                for n, t in enumerate(rng.sample(words.COMMITTEE_GOALS, 2), start=1)
            ]

    def make_plan(self, owner: Owner, year: int) -> None:
        rng = self.rng
        created = self.day_between(datetime.date(year - 1, 9, 1), datetime.date(year - 1, 10, 1))
        adoption = created + datetime.timedelta(days=60 + rng.randrange(90))
        draft = adoption > self.today or (year == self.last_year and rng.random() < 0.15)
        adopted = None if draft else adoption
        reference = f"{owner.abbreviation} {year - 1}/{100 + rng.randrange(900)}" if adopted else ""
        at = self.moment(created, rng.randrange(540))
        plan = self.t(ControlPlan).add(
            (owner.unit.pk, year, adopted, reference, self.matrix), at=at, by=owner.coordinator
        )
        themes = self.themes(owner, rng.randint(*self.profile.risks))
        # Some of last year's audit recommendations, made before this analysis, lie behind risks.
        linked: dict[int, list[int]] = {}
        for recommendation, day in owner.recommendations:
            if day < created and rng.random() < 0.5:
                linked.setdefault(rng.randrange(len(themes)), []).append(recommendation)
        owner.recommendations = []
        results: list[str] = []
        goals = [*self.organisation_goals, *owner.goals[year]]
        for number, theme in enumerate(themes, start=1):
            self.make_risk(
                owner, year, plan, number, theme, at, goals, linked.get(number - 1, []), results
            )
        if year < self.last_year:
            self.make_assessment(owner, year, plan, results)

    def themes(self, owner: Owner, count: int) -> list[tuple[int, int]]:
        """What the risks are about: most of last year's carried over, the rest new."""
        rng = self.rng
        kept = [theme for theme in owner.themes if rng.random() < 0.6][:count]
        chosen = set(kept)
        pairs = len(owner.processes) * len(words.PROBLEMS)
        while len(kept) < min(count, pairs):
            theme = (rng.randrange(len(owner.processes)), rng.randrange(len(words.PROBLEMS)))
            if theme not in chosen:
                chosen.add(theme)
                kept.append(theme)
        owner.themes = kept
        return kept

    def step(self, size: int) -> int:
        return STEPS[size].draw(self.rng)

    def make_risk(
        self,
        owner: Owner,
        year: int,
        plan: int,
        number: int,
        theme: tuple[int, int],
        at: datetime.datetime,
        goals: list[int],
        recommendations: list[int],
        results: list[str],
    ) -> None:
        rng = self.rng
        process = owner.processes[theme[0]]
        problem = words.PROBLEMS[theme[1]]
        subject, topic = process.words.subject, process.words.topic
        unit = rng.choice(owner.below) if owner.below and rng.random() < 0.85 else None
        assessed = rng.random() < 0.92
        probability = self.step(self.matrix_model.probability_size) if assessed else None
        consequence = self.step(self.matrix_model.consequence_size) if assessed else None
        target: tuple[int | None, int | None] = (None, None)
        if probability and consequence and probability > 1 and rng.random() < 0.5:
            lower = 1 if rng.random() < 0.3 and consequence > 1 else 0
            target = (max(1, probability - 1 - rng.randrange(2)), consequence - lower)
        handling = list(HANDLINGS.draw(rng))
        description = f"Det finns en risk att {subject} {problem.text} {rng.choice(words.CAUSES)}."
        detail = rng.choice(words.DETAILS)
        risk_at = at + datetime.timedelta(minutes=number)
        risk = self.t(Risk).add(
            (
                plan,
                f"r-{number}",
                f"{subject[0].upper()}{subject[1:]} {problem.text}",
                unit.pk if unit else None,
                self.areas[problem.area],
                process.pk,
                rng.choice(goals) if goals and rng.random() < 0.3 else None,
                f"{description} {detail}".strip(),
                " ".join(rng.sample(words.CONSEQUENCES, 1 + rng.randrange(2))),
                rng.choice(words.EXISTING_CONTROLS),
                probability,
                consequence,
                *target,
                handling,
                " ".join(words.PLANNED_HANDLING[code] for code in handling),
            ),
            at=risk_at,
            by=owner.coordinator,
            links={"recommendations": recommendations} if recommendations else None,
        )
        self.summary.risks += 1
        responsible = unit.responsible if unit else None
        first = (year - self.first_year) * len(self.periods)
        if "mitigate" in handling:
            for index in range(1, rng.randint(*self.profile.actions) + 1):
                self.make_action(owner, risk, index, first, subject, topic, responsible, risk_at)
        if "review" in handling:
            for index in range(1, rng.randint(*self.profile.activities) + 1):
                self.make_activity(
                    owner, risk, index, first, subject, topic, responsible, risk_at, results
                )
        if (
            probability
            and consequence
            and self.levels[probability, consequence] >= (self.top_rank - 1)
        ):
            self.follow_risk(owner, risk, first)

    def make_action(
        self,
        owner: Owner,
        risk: int,
        index: int,
        first: int,
        subject: str,
        topic: str,
        responsible: int | None,
        at: datetime.datetime,
    ) -> None:
        rng = self.rng
        periods = len(self.periods)
        planned = 1 + rng.randrange(periods + periods // 2 + 1)
        due = self.period_end(first + planned - 1)
        # The period it ends in: done, mostly on time; a few are cancelled or never finished.
        roll = rng.random()
        finished: int | None = None
        final = "done"
        if 0.04 <= roll < 0.07:
            finished, final = first + rng.randrange(planned + 1), "cancelled"
        elif roll >= 0.07:
            finished = first + planned - 1 + DELAYS.draw(rng)
        begins = first + (1 if planned > 1 and rng.random() < 0.4 else 0)
        assignee = responsible if responsible and rng.random() < 0.75 else None
        by = assignee or owner.coordinator
        reports: list[tuple[Any, ...]] = []
        status = "not_started"
        last = first + MAX_REPORTED_PERIODS - 1 if finished is None else finished
        for period_index in range(first, last + 1):
            end = self.period_end(period_index)
            day = end - datetime.timedelta(days=rng.randrange(15))
            if day > self.today:
                break
            if period_index == finished:
                status = final
            elif period_index >= begins:
                status = "in_progress"
            on_track = status == "done" or end <= due
            comment = rng.choice(words.ACTION_COMMENTS[status])
            moment = self.moment(day, rng.randrange(540))
            period = self.periods[period_index % periods][0]
            reports.append((period, day, status, on_track, comment, moment))
            if period_index == finished:
                break
        values = (
            risk,
            f"a-{index}",
            rng.choice(words.ACTION_TITLES).format(subject=subject, topic=topic),
            rng.choice(words.ACTION_DESCRIPTIONS),
            rng.choice(words.RESPONSIBLE_ROLES),
            assignee,
            due,
        )
        # Each follow-up that reports a new status moves the action to it, as in the app.
        changes = []
        status = "not_started"
        for _period, _day, reported, _on_track, _comment, moment in reports:
            if reported != status:
                status = reported
                changes.append(((*values, status), moment, by))
        action = self.t(Action).add(
            (*values, "not_started"), at=at, by=owner.coordinator, changes=changes
        )
        self.summary.actions += 1
        follow_ups = self.t(FollowUp)
        for period, day, reported, on_track, comment, moment in reports:
            follow_ups.add(
                (action, None, None, None, period, day, reported, on_track, "", comment),
                at=moment,
                by=by,
            )
        self.summary.follow_ups += len(reports)

    def make_activity(
        self,
        owner: Owner,
        risk: int,
        index: int,
        first: int,
        subject: str,
        topic: str,
        responsible: int | None,
        at: datetime.datetime,
        results: list[str],
    ) -> None:
        rng = self.rng
        periods = len(self.periods)
        frequency = rng.choice(words.FREQUENCIES)
        if frequency in ("yearly", "once"):
            positions = [periods - 1 if frequency == "yearly" else rng.randrange(periods)]
        else:
            positions = list(range(periods))
        sample_size = 5 + rng.randrange(26)
        assignee = responsible if responsible and rng.random() < 0.75 else None
        activity = self.t(ControlActivity).add(
            (
                risk,
                f"k-{index}",
                rng.choice(words.ACTIVITY_TITLES).format(subject=subject, topic=topic),
                rng.choice(words.WORKING_METHODS).format(topic=topic),
                rng.choice(words.SYSTEMATIC_CONTROLS),
                rng.choice(words.ACTIVITY_DESCRIPTIONS),
                rng.choice(words.METHODS),
                rng.choice(words.SAMPLES).format(n=sample_size),
                rng.choice(words.RESPONSIBLE_ROLES),
                assignee,
                frequency,
                self.period_end(first + positions[-1]),
            ),
            at=at,
            by=owner.coordinator,
            links={"periods": [self.periods[p][0] for p in positions]},
        )
        by = assignee or owner.coordinator
        follow_ups = self.t(FollowUp)
        for position in positions:
            end = self.period_end(first + position)
            day = end - datetime.timedelta(days=rng.randrange(15))
            if day > self.today:
                break
            result = RESULTS.draw(rng)
            comment = rng.choice(words.RESULT_COMMENTS[result]).format(
                k=1 + rng.randrange(4), n=sample_size
            )
            period = self.periods[position][0]
            follow_ups.add(
                (None, activity, None, None, period, day, "", None, result, comment),
                at=self.moment(day, rng.randrange(540)),
                by=by,
            )
            results.append(result)
            self.summary.follow_ups += 1

    def follow_risk(self, owner: Owner, risk: int, first: int) -> None:
        """Whether the work on a high or critical risk follows the plan, each period."""
        rng = self.rng
        for position in range(len(self.periods)):
            day = self.period_end(first + position) - datetime.timedelta(days=rng.randrange(10))
            if day > self.today:
                break
            on_track = rng.random() < 0.8
            self.t(FollowUp).add(
                (
                    None,
                    None,
                    risk,
                    None,
                    self.periods[position][0],
                    day,
                    "",
                    on_track,
                    "",
                    rng.choice(words.RISK_COMMENTS[on_track]),
                ),
                at=self.moment(day, rng.randrange(540)),
                by=owner.coordinator,
            )
            self.summary.follow_ups += 1

    def make_assessment(self, owner: Owner, year: int, plan: int, results: list[str]) -> None:
        rng = self.rng
        decided = self.day_between(datetime.date(year + 1, 2, 1), datetime.date(year + 1, 3, 25))
        if decided > self.today:
            return
        deviations = results.count("deviation")
        not_done = results.count("not_done")
        share = (deviations + not_done) / max(1, len(results)) + rng.random() * 0.1
        verdict = "sufficient" if share < 0.15 else "partly_sufficient"
        if share >= 0.35:
            verdict = "insufficient"
        who = "Styrelsen" if owner.unit.kind == Unit.Kind.COMPANY else "Nämnden"
        analysis = (
            f"{who} bedömer att den interna kontrollen under {year} har varit "
            f"{words.VERDICT_PHRASES[verdict]}. Av {len(results)} genomförda kontroller visade "
            f"{deviations} avvikelser och {not_done} kunde inte genomföras. "
            f"{rng.choice(words.ASSESSMENT_ENDINGS)}"
        )
        self.t(Assessment).add(
            (plan, verdict, decided, analysis),
            at=self.moment(decided, 360),
            by=owner.coordinator,
        )

    # Audits

    def make_audits(self, year: int) -> None:
        rng = self.rng
        auditor = words.CITY_AUDITOR if self.profile.city else rng.choice(words.AUDITORS)
        committees = [owner for owner in self.owners if owner.unit.kind == Unit.Kind.COMMITTEE]
        for number in range(1, rng.randint(*self.profile.audit_reports) + 1):
            owner = rng.choice(committees)
            day = self.day_between(datetime.date(year, 2, 1), datetime.date(year, 11, 30))
            if day > self.today or day.year != year:
                continue
            process = rng.choice(owner.processes).words
            at = self.moment(day, 120)
            report = self.t(AuditReport).add(
                (
                    self.organisation,
                    f"rev-{year}-{number}",
                    owner.unit.pk,
                    rng.choice(words.AUDIT_TITLES).format(topic=process.topic),
                    auditor,
                    day,
                ),
                at=at,
                by=owner.coordinator,
            )
            for index in range(1, 2 + rng.randrange(4)):
                self.make_recommendation(owner, report, index, day, process, at)

    def make_recommendation(
        self,
        owner: Owner,
        report: int,
        index: int,
        day: datetime.date,
        process: words.ProcessWords,
        at: datetime.datetime,
    ) -> None:
        rng = self.rng
        periods = len(self.periods)
        start = (day.year - self.first_year) * periods
        while self.period_end(start) <= day:
            start += 1
        finished = start + rng.randrange(4)
        reports: list[tuple[int, datetime.date, str, datetime.datetime]] = []
        for period_index in range(start, finished + 1):
            end = self.period_end(period_index)
            follow_day = max(day, end - datetime.timedelta(days=rng.randrange(10)))
            if follow_day > self.today:
                break
            status = "done" if period_index == finished else "in_progress"
            moment = max(self.moment(follow_day, rng.randrange(540)), at)
            reports.append((self.periods[period_index % periods][0], follow_day, status, moment))
        values = (
            report,
            f"rek-{index}",
            rng.choice(words.RECOMMENDATIONS).format(subject=process.subject, topic=process.topic),
            rng.choice(words.RESPONSES),
        )
        changes = []
        status = "not_started"
        for _period, _day, reported, moment in reports:
            if reported != status:
                status = reported
                changes.append(((*values, status), moment, owner.coordinator))
        recommendation = self.t(Recommendation).add(
            (*values, "not_started"), at=at, by=owner.coordinator, changes=changes
        )
        owner.recommendations.append((recommendation, day))
        for period, follow_day, reported, moment in reports:
            comment = rng.choice(words.RECOMMENDATION_COMMENTS[reported])
            self.t(FollowUp).add(
                (None, None, None, recommendation, period, follow_day, reported, None, "", comment),
                at=moment,
                by=owner.coordinator,
            )
            self.summary.follow_ups += 1


def _split(total: int, weights: Sequence[int]) -> list[int]:
    """`total` shared in proportion to the weights, the rounding given to the first ones."""
    whole = sum(weights)
    shares = [total * weight // whole for weight in weights]
    for index in range(total - sum(shares)):
        shares[index % len(shares)] += 1
    return shares
