"""What the API returns and accepts: one schema per domain object, in the OpenAPI document."""

# Pydantic reads the annotations at run time, so they are not postponed here.
import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from internkontroll.controls.models import Frequency, Method
from internkontroll.followups.models import Result
from internkontroll.organisation.defaults import MAX_SCALE
from internkontroll.organisation.models import UnitKind
from internkontroll.plans.models import Assessment
from internkontroll.risks.models import Handling, Progress

ProgressCode = Literal[tuple(Progress.values)]  # type: ignore[valid-type]
HandlingCode = Literal[tuple(Handling.values)]  # type: ignore[valid-type]
MethodCode = Literal[tuple([*Method.values, ""])]  # type: ignore[valid-type]
FrequencyCode = Literal[tuple([*Frequency.values, ""])]  # type: ignore[valid-type]
ResultCode = Literal[tuple(Result.values)]  # type: ignore[valid-type]
VerdictCode = Literal[tuple(Assessment.Verdict.values)]  # type: ignore[valid-type]

Text = Field(default=None, max_length=10000)
# Ids fit PostgreSQL's integer columns; a larger one is refused before any query.
MAX_ID = 2**31 - 1
Ref = Annotated[int, Field(ge=1, le=MAX_ID)]
Scale = Annotated[int, Field(ge=1, le=MAX_SCALE)]


class OrganisationOut(Schema):
    id: int
    name: str
    risk_matrix: int | None


class UnitOut(Schema):
    id: int
    organisation: int
    external_id: str
    name: str
    kind: str
    parent: int | None
    version: int


class GoalOut(Schema):
    id: int
    organisation: int
    external_id: str
    unit: int | None
    year: int | None
    title: str
    version: int


class ProcessOut(Schema):
    id: int
    organisation: int
    name: str
    version: int


class RiskAreaOut(ProcessOut):
    pass


class LevelOut(Schema):
    name: str
    min_score: int
    color: str


class MatrixOut(Schema):
    id: int
    organisation: int
    probability_labels: list[str]
    consequence_labels: list[str]
    levels: list[LevelOut]
    cells: list[list[str]] | None
    created_at: datetime.datetime


class PeriodOut(Schema):
    id: int
    organisation: int
    code: str
    name: str
    ends: str = Field(description="Month and day the period ends, MM-DD.")
    position: int


class PlanOut(Schema):
    id: int
    organisation: int
    committee: int
    year: int
    status: Literal["draft", "adopted"]
    adopted_on: datetime.date | None
    reference: str
    risk_matrix: int
    whole: bool = Field(
        description="False when the reader sits below the committee and reads only the risks "
        "their units identified (an excerpt)."
    )
    version: int


class RiskOut(Schema):
    id: int
    plan: int
    external_id: str
    title: str
    unit: int | None
    area: int | None
    area_name: str | None
    process: int | None
    process_name: str | None
    goal: int | None
    description: str
    consequence_description: str
    existing_controls: str
    probability: int | None
    consequence: int | None
    score: int | None
    level: str | None
    critical: bool
    target_probability: int | None
    target_consequence: int | None
    target_score: int | None
    target_level: str | None
    handling: list[str]
    planned_handling: str
    recommendations: list[int]
    version: int


class ActionOut(Schema):
    id: int
    risk: int
    external_id: str
    title: str
    description: str
    responsible: str
    assignee: int | None
    due_date: datetime.date | None
    status: str
    overdue: bool
    version: int


class ControlActivityOut(Schema):
    id: int
    risk: int
    external_id: str
    title: str
    working_method: str
    systematic_control: str
    description: str
    method: str
    sample: str
    responsible: str
    assignee: int | None
    frequency: str
    periods: list[int]
    due_date: datetime.date | None
    version: int


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_by: int
    uploaded_at: datetime.datetime


class FollowUpOut(Schema):
    id: int
    action: int | None
    control_activity: int | None
    risk: int | None
    recommendation: int | None
    period: int | None
    date: datetime.date
    status: str
    on_track: bool | None
    result: str
    comment: str
    reported_for: int | None
    evidence: list[EvidenceOut]
    version: int


class AuditReportOut(Schema):
    id: int
    organisation: int
    external_id: str
    committee: int | None
    title: str
    auditor: str
    date: datetime.date | None
    version: int


class RecommendationOut(Schema):
    id: int
    report: int
    external_id: str
    text: str
    response: str
    status: str
    version: int


class AssessmentOut(Schema):
    id: int
    plan: int
    verdict: str
    decided_on: datetime.date | None
    analysis: str
    version: int


class AdoptedVersionOut(Schema):
    id: int
    plan: int
    kind: str
    decided_on: datetime.date
    reference: str
    created_at: datetime.datetime
    created_by: int | None


class AdoptedVersionDetailOut(AdoptedVersionOut):
    snapshot: dict[str, Any] = Field(
        description="The plan as decided, in the exchange format; a reader below the committee "
        "gets their units' part."
    )


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class RiskChange(Input):
    title: str | None = Field(default=None, max_length=500)
    unit: Ref | None = None
    area: str | None = Field(default=None, max_length=300, description="Risk area, by name.")
    process: str | None = Field(default=None, max_length=300, description="Process, by name.")
    goal: Ref | None = None
    description: str | None = Text
    consequence_description: str | None = Text
    existing_controls: str | None = Text
    probability: Scale | None = None
    consequence: Scale | None = None
    target_probability: Scale | None = None
    target_consequence: Scale | None = None
    handling: list[HandlingCode] | None = None  # type: ignore[valid-type]
    planned_handling: str | None = Text
    recommendations: list[Ref] | None = Field(default=None, max_length=1000)


class RiskCreate(RiskChange):
    plan: Ref
    title: str = Field(max_length=500)


class ActionChange(Input):
    title: str | None = Field(default=None, max_length=500)
    description: str | None = Text
    responsible: str | None = Field(default=None, max_length=200)
    assignee: Ref | None = None
    due_date: datetime.date | None = None
    status: ProgressCode | None = None  # type: ignore[valid-type]


class ActionCreate(ActionChange):
    risk: Ref
    title: str = Field(max_length=500)


class ControlActivityChange(Input):
    title: str | None = Field(default=None, max_length=500)
    working_method: str | None = Text
    systematic_control: str | None = Text
    description: str | None = Text
    method: MethodCode | None = None  # type: ignore[valid-type]
    sample: str | None = Field(default=None, max_length=500)
    responsible: str | None = Field(default=None, max_length=200)
    assignee: Ref | None = None
    frequency: FrequencyCode | None = None  # type: ignore[valid-type]
    periods: list[Ref] | None = Field(default=None, max_length=100)
    due_date: datetime.date | None = None


class ControlActivityCreate(ControlActivityChange):
    risk: Ref
    title: str = Field(max_length=500)


class FollowUpIn(Input):
    period: Ref
    date: datetime.date
    comment: str = Field(max_length=10000)


class ActionFollowUpIn(FollowUpIn):
    status: ProgressCode  # type: ignore[valid-type]
    on_track: bool | None = None


class ControlActivityFollowUpIn(FollowUpIn):
    result: ResultCode  # type: ignore[valid-type]


class RiskFollowUpIn(FollowUpIn):
    on_track: bool


class RecommendationFollowUpIn(Input):
    date: datetime.date
    status: ProgressCode  # type: ignore[valid-type]
    comment: str = Field(max_length=10000)


class AuditReportChange(Input):
    committee: Ref | None = None
    title: str | None = Field(default=None, max_length=500)
    auditor: str | None = Field(default=None, max_length=200)
    date: datetime.date | None = None


class AuditReportCreate(AuditReportChange):
    committee: Ref
    title: str = Field(max_length=500)
    date: datetime.date


class RecommendationChange(Input):
    text: str | None = Field(default=None, max_length=10000)
    response: str | None = Text
    status: ProgressCode | None = None  # type: ignore[valid-type]


class RecommendationCreate(RecommendationChange):
    text: str = Field(max_length=10000)


UnitKindCode = Literal[tuple(UnitKind.values)]  # type: ignore[valid-type]


class UnitChange(Input):
    name: str | None = Field(default=None, max_length=200)
    kind: UnitKindCode | None = None  # type: ignore[valid-type]
    parent: Ref | None = None


class UnitCreate(UnitChange):
    name: str = Field(max_length=200)
    kind: UnitKindCode  # type: ignore[valid-type]


class GoalChange(Input):
    external_id: str | None = Field(default=None, max_length=100)
    title: str | None = Field(default=None, max_length=500)
    unit: Ref | None = None
    year: int | None = Field(default=None, ge=1, le=9999)


class GoalCreate(GoalChange):
    """A goal of the caller's organisation: for a committee (`unit`), or without one for the
    whole organisation; without a year unless one is given."""

    external_id: str = Field(max_length=100)
    title: str = Field(max_length=500)


class NamedIn(Input):
    """A process's or a risk area's name, unique in the organisation whatever its case."""

    name: str = Field(max_length=200)


class PlanCreate(Input):
    committee: Ref
    year: int = Field(ge=1, le=9999)
    reference: str = Field(default="", max_length=100)


class AdoptionIn(Input):
    adopted_on: datetime.date
    reference: str = Field(max_length=100)


class AssessmentIn(Input):
    verdict: VerdictCode  # type: ignore[valid-type]
    decided_on: datetime.date | None = None
    analysis: str = Field(max_length=10000)
