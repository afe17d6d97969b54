"""How much a generated instance holds: a tiny one for tests, a city, or the whole country."""

from __future__ import annotations

from dataclasses import dataclass

Range = tuple[int, int]


@dataclass(frozen=True)
class Profile:
    organisations: int
    committees: Range  # per organisation, the council's executive committee included
    units: Range  # per organisation, every kind
    years: int  # the last of them is the current year
    risks: Range  # per plan
    actions: Range  # per risk handled with actions
    activities: Range  # per risk reviewed in the plan
    audit_reports: Range  # per organisation and year
    organisation_goals: int  # per year
    city: bool = False  # district committees, the city's own auditors, "stad"
    companies: float = 0.0  # the chance that an organisation has a company owning plans


PROFILES = {
    "tiny": Profile(
        organisations=1,
        committees=(3, 3),
        units=(14, 14),
        years=3,
        risks=(3, 5),
        actions=(1, 3),
        activities=(1, 2),
        audit_reports=(2, 2),
        organisation_goals=2,
        companies=1.0,
    ),
    "city": Profile(
        organisations=1,
        committees=(40, 40),
        units=(1000, 1000),
        years=10,
        risks=(30, 100),
        actions=(2, 6),
        activities=(1, 3),
        audit_reports=(6, 10),
        organisation_goals=6,
        city=True,
        companies=1.0,
    ),
    "country": Profile(
        organisations=290,
        committees=(8, 12),
        units=(40, 80),
        years=10,
        risks=(20, 40),
        actions=(2, 6),
        activities=(1, 3),
        audit_reports=(1, 3),
        organisation_goals=4,
        companies=0.4,
    ),
}
