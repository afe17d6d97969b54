"""The summary sentences of the reports, each written whole from counts and names.

The grammar lives here, not in the translations: which shape a sentence takes for none, one,
a few (numbers up to twelve, written as words) or many (digits, never first in a sentence),
all of them, both of them, or the one thing there is. Each shape is one msgid holding a whole
sentence, so a translator always sees what the reader gets; only number words, names and
periods are filled in. Swedish agreement (ingen/inget/inga, en/ett) is written out in the
Swedish of each shape, which is why there is a shape per case rather than a word per count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from internkontroll.plans.models import Assessment

LARGEST_WRITTEN = 12
SWEDISH = (
    "inga", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
)  # fmt: skip
SWEDISH_NEUTER_ONE = "ett"
ENGLISH = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)  # fmt: skip


def number_word(count: int, *, neuter: bool = False) -> str:
    """`count` in words up to twelve in the active language (Swedish by default), else digits.

    `neuter` gives Swedish "ett" for one, for nouns such as "ett ärende".
    """
    if not 0 <= count <= LARGEST_WRITTEN:
        return str(count)
    if (get_language() or "sv").startswith("en"):
        return ENGLISH[count]
    if count == 1 and neuter:
        return SWEDISH_NEUTER_ONE
    return SWEDISH[count]


def sentence(text: str) -> str:
    """Capitalise the first letter, leaving the rest as written."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Whole:
    """The shapes of a sentence counting things: "Inga risker …", "En risk …", "Fem risker …".

    `many` is for counts above twelve, in digits, so it must not start with the number
    ("Totalt har 14 risker …"). A shape left as None is not said.
    """

    none: str | None
    one: str
    few: str
    many: str


@dataclass(frozen=True)
class Part:
    """The shapes of a sentence about `count` of the `total` things just named.

    "En av dem …", "Tre av dem …", "Av dem … 14 …" (never a digit first), "Samtliga …",
    "Båda …"; `it` and `it_none` when there is one thing ("Den …"). A shape left as None
    is not said; `both` falls back to `all`, `it_none` to `none`.
    """

    none: str | None
    one: str
    few: str
    many: str
    all: str
    it: str
    both: str | None = None
    it_none: str | None = None


def _say(message: str | None, **names: object) -> str:
    if message is None:
        return ""
    return sentence(_(message) % names)


def _whole(shapes: Whole, count: int, **names: object) -> str:
    if count == 0:
        message = shapes.none
    elif count == 1:
        message = shapes.one
    elif count <= LARGEST_WRITTEN:
        message = shapes.few
    else:
        message = shapes.many
    return _say(message, count=number_word(count), **names)


def _part(shapes: Part, count: int, total: int, **names: object) -> str:
    if total == 1:
        message = shapes.it if count else (shapes.it_none or shapes.none)
    elif count == 0:
        message = shapes.none
    elif count == total:
        message = (shapes.both or shapes.all) if total == 2 else shapes.all
    elif count == 1:
        message = shapes.one
    elif count <= LARGEST_WRITTEN:
        message = shapes.few
    else:
        message = shapes.many
    return _say(message, count=number_word(count), **names)


def _join(*sentences: str) -> str:
    return " ".join(text for text in sentences if text)


def _check(**counts: int) -> None:
    for name, count in counts.items():
        if count < 0:
            raise ValueError(f"{name} is negative: {count}")


def _check_part(part: str, count: int, whole: str, total: int) -> None:
    if count > total:
        raise ValueError(f"{part} ({count}) is more than {whole} ({total})")


# Risks -----------------------------------------------------------------------------------------

RISKS = Whole(
    none=N_("No risks have been identified."),
    one=N_("One risk has been identified and is part of the risk picture."),
    few=N_("%(count)s risks have been identified and are part of the risk picture."),
    many=N_("In all, %(count)s risks have been identified and are part of the risk picture."),
)
MITIGATED = Part(
    none=None,
    one=N_("One of them is handled through actions that are followed up."),
    few=N_("%(count)s of them are handled through actions that are followed up."),
    many=N_("Of them, %(count)s are handled through actions that are followed up."),
    all=N_("All of them are handled through actions that are followed up."),
    both=N_("Both are handled through actions that are followed up."),
    it=N_("It is handled through actions that are followed up."),
)


def risks(total: int, mitigated: int) -> str:
    """How many risks the risk picture holds and how many are handled through actions.

    "Fem risker har identifierats och ingår i den samlade riskbilden. Tre av dem hanteras
    genom åtgärder som följs upp."
    """
    _check(total=total, mitigated=mitigated)
    _check_part("mitigated", mitigated, "total", total)
    return _join(_whole(RISKS, total), _part(MITIGATED, mitigated, total) if total else "")


# Actions ---------------------------------------------------------------------------------------

ACTIONS = Whole(
    none=N_("No actions have been decided."),
    one=N_("One action has been decided."),
    few=N_("%(count)s actions have been decided."),
    many=N_("In all, %(count)s actions have been decided."),
)
IN_PROGRESS = Part(
    none=None,
    one=N_("One of them is in progress."),
    few=N_("%(count)s of them are in progress."),
    many=N_("Of them, %(count)s are in progress."),
    all=N_("All of them are in progress."),
    both=N_("Both are in progress."),
    it=N_("It is in progress."),
)
COMPLETED = Part(
    none=None,
    one=N_("One of them has been completed."),
    few=N_("%(count)s of them have been completed."),
    many=N_("Of them, %(count)s have been completed."),
    all=N_("All of them have been completed."),
    both=N_("Both have been completed."),
    it=N_("It has been completed."),
)
NOT_STARTED = Part(
    none=None,
    one=N_("One of them has not been started yet."),
    few=N_("%(count)s of them have not been started yet."),
    many=N_("Of them, %(count)s have not been started yet."),
    all=N_("None of them has been started yet."),
    it=N_("It has not been started yet."),
)
CANCELLED = Part(
    none=None,
    one=N_("One of them has been cancelled."),
    few=N_("%(count)s of them have been cancelled."),
    many=N_("Of them, %(count)s have been cancelled."),
    all=N_("All of them have been cancelled."),
    both=N_("Both have been cancelled."),
    it=N_("It has been cancelled."),
)
OVERDUE = Whole(
    none=N_("No action has passed its end date."),
    one=N_("One action has passed its end date."),
    few=N_("%(count)s actions have passed their end date."),
    many=N_("In all, %(count)s actions have passed their end date."),
)


def actions(in_progress: int, done: int, not_started: int, cancelled: int, overdue: int) -> str:
    """The follow-up of the actions by status, and how many have passed their end date.

    `overdue` counts unfinished actions (in progress or not started) past their end date;
    that none has is said only when some action is still unfinished.
    "Fem åtgärder har beslutats. Tre av dem pågår. Två av dem har avslutats."
    """
    _check(
        in_progress=in_progress,
        done=done,
        not_started=not_started,
        cancelled=cancelled,
        overdue=overdue,
    )
    unfinished = in_progress + not_started
    _check_part("overdue", overdue, "unfinished actions", unfinished)
    total = unfinished + done + cancelled
    if not total:
        return _whole(ACTIONS, 0)
    return _join(
        _whole(ACTIONS, total),
        _part(IN_PROGRESS, in_progress, total),
        _part(COMPLETED, done, total),
        _part(NOT_STARTED, not_started, total),
        _part(CANCELLED, cancelled, total),
        _whole(OVERDUE, overdue) if unfinished else "",
    )


# The internal control plan ---------------------------------------------------------------------


def plan_reviews(risks: int, activities: int) -> str:
    """How many risks the plan reviews, and through how many control activities.

    "Planen granskar tre risker genom fem kontrollaktiviteter." Activities belong to risks,
    so there can be none without a risk.
    """
    _check(risks=risks, activities=activities)
    if not risks:
        if activities:
            raise ValueError(f"{activities} control activities without a risk")
        return _("The plan does not review any risks yet.")
    if risks == 1:
        if activities == 0:
            message = N_("The plan reviews one risk but has no control activity yet.")
        elif activities == 1:
            message = N_("The plan reviews one risk through one control activity.")
        else:
            message = N_("The plan reviews one risk through %(activities)s control activities.")
    elif activities == 0:
        message = N_("The plan reviews %(risks)s risks but has no control activities yet.")
    elif activities == 1:
        message = N_("The plan reviews %(risks)s risks through one control activity.")
    else:
        message = N_("The plan reviews %(risks)s risks through %(activities)s control activities.")
    return _say(message, risks=number_word(risks), activities=number_word(activities))


DUE_IN_PERIOD = Whole(
    none=N_("No control activities were to be reported in %(period)s."),
    one=N_("One control activity was to be reported in %(period)s."),
    few=N_("%(count)s control activities were to be reported in %(period)s."),
    many=N_("In all, %(count)s control activities were to be reported in %(period)s."),
)
IN_PLAN = Whole(
    none=N_("The internal control plan holds no control activities."),
    one=N_("The internal control plan holds one control activity."),
    few=N_("The internal control plan holds %(count)s control activities."),
    many=N_("The internal control plan holds %(count)s control activities."),
)
CARRIED_OUT = Part(
    none=None,
    one=N_("One of them has been carried out and followed up."),
    few=N_("%(count)s of them have been carried out and followed up."),
    many=N_("Of them, %(count)s have been carried out and followed up."),
    all=N_("All of them have been carried out and followed up."),
    both=N_("Both have been carried out and followed up."),
    it=N_("It has been carried out and followed up."),
)
NOT_CARRIED_OUT = Part(
    none=None,
    one=N_("One of them has not been carried out."),
    few=N_("%(count)s of them have not been carried out."),
    many=N_("Of them, %(count)s have not been carried out."),
    all=N_("None of them has been carried out."),
    it=N_("It has not been carried out."),
)
NOT_FOLLOWED_UP = Part(
    none=None,
    one=N_("One of them has not been followed up yet."),
    few=N_("%(count)s of them have not been followed up yet."),
    many=N_("Of them, %(count)s have not been followed up yet."),
    all=N_("None of them has been followed up yet."),
    it=N_("It has not been followed up yet."),
)
DEVIATIONS = Whole(
    none=N_("The controls found no deviations."),
    one=N_("The controls found one deviation."),
    few=N_("The controls found %(count)s deviations."),
    many=N_("The controls found %(count)s deviations."),
)
DEVIATIONS_OF_ONE = Whole(
    none=N_("The control found no deviation."),
    one=N_("The control found one deviation."),
    few=N_("The control found %(count)s deviations."),
    many=N_("The control found %(count)s deviations."),
)


def activities_followed(
    due: int, followed: int, not_done: int, deviations: int, period_name: str | None = None
) -> str:
    """What became of the control activities due in a period (or in the whole plan).

    `followed` of the `due` activities have a follow-up; `not_done` of those say that the
    control was not carried out. "No deviations" is said only when every due activity was
    carried out and followed up. `period_name` reads after "till"/"in", e.g. "tertialrapport 1".
    "Fyra kontrollaktiviteter skulle rapporteras till tertialrapport 1. Tre av dem har
    genomförts och följts upp. En av dem har inte genomförts. Kontrollerna fann en avvikelse."
    """
    _check(due=due, followed=followed, not_done=not_done, deviations=deviations)
    _check_part("followed", followed, "due", due)
    _check_part("not_done", not_done, "followed", followed)
    carried_out = followed - not_done
    if period_name is None:
        opening = _whole(IN_PLAN, due)
    else:
        opening = _whole(DUE_IN_PERIOD, due, period=period_name)
    found = DEVIATIONS_OF_ONE if due == 1 else DEVIATIONS
    said_found = deviations or (due and carried_out == due)
    return _join(
        opening,
        _part(CARRIED_OUT, carried_out, due) if due else "",
        _part(NOT_CARRIED_OUT, not_done, due) if due else "",
        _part(NOT_FOLLOWED_UP, due - followed, due) if due else "",
        _whole(found, deviations) if said_found else "",
    )


# Audit recommendations -------------------------------------------------------------------------


def recommendations(total: int, done: int) -> str:
    """How many recommendations the auditors have made and how many are carried out.

    "Revisorerna har lämnat tre rekommendationer, varav en har genomförts."
    """
    _check(total=total, done=done)
    _check_part("done", done, "total", total)
    if total == 0:
        message = N_("The auditors have not made any recommendations.")
    elif total == 1:
        message = (
            N_("The auditors have made one recommendation. It has been carried out.")
            if done
            else N_("The auditors have made one recommendation. It has not been carried out yet.")
        )
    elif done == total == 2:
        message = N_("The auditors have made two recommendations. Both have been carried out.")
    elif done == total:
        message = N_(
            "The auditors have made %(total)s recommendations. All of them have been carried out."
        )
    elif done == 0:
        message = N_(
            "The auditors have made %(total)s recommendations, none of which has been carried out."
        )
    elif done == 1:
        message = N_(
            "The auditors have made %(total)s recommendations, one of which has been carried out."
        )
    else:
        message = N_(
            "The auditors have made %(total)s recommendations, "
            "%(done)s of which have been carried out."
        )
    return _say(message, total=number_word(total), done=number_word(done))


# Critical risks --------------------------------------------------------------------------------

HANDLED = Whole(
    none=N_("The plan handles no risks."),
    one=N_("The plan handles one risk."),
    few=N_("The plan handles %(count)s risks."),
    many=N_("The plan handles %(count)s risks."),
)
AT_HIGHEST_LEVEL = Part(
    none=N_("None of them is at the highest level (%(level)s)."),
    one=N_("One of them is at the highest level (%(level)s)."),
    few=N_("%(count)s of them are at the highest level (%(level)s)."),
    many=N_("Of them, %(count)s are at the highest level (%(level)s)."),
    all=N_("All of them are at the highest level (%(level)s)."),
    both=N_("Both are at the highest level (%(level)s)."),
    it=N_("It is at the highest level (%(level)s)."),
    it_none=N_("It is not at the highest level (%(level)s)."),
)
EXAMINED = Part(
    none=N_("None of these is examined in the internal control plan."),
    one=N_("One of these is also examined in the internal control plan."),
    few=N_("%(count)s of these are also examined in the internal control plan."),
    many=N_("Of these, %(count)s are also examined in the internal control plan."),
    all=N_("All of these are also examined in the internal control plan."),
    both=N_("Both are also examined in the internal control plan."),
    it=N_("It is also examined in the internal control plan."),
    it_none=N_("It is not examined in the internal control plan."),
)
OFF_TRACK = Part(
    none=N_("All of them follow the plan."),
    one=N_("One of them does not follow the plan: %(names)s."),
    few=N_("%(count)s of them do not follow the plan: %(names)s."),
    many=N_("Of them, %(count)s do not follow the plan: %(names)s."),
    all=N_("None of them follows the plan: %(names)s."),
    it=N_("It does not follow the plan: %(names)s."),
    it_none=N_("It follows the plan."),
)


def names_list(names: Sequence[str]) -> str:
    """Names as running text, each quoted since a name may hold "och" itself: ”A”, ”B” och ”C”.

    A name's own final full stop is left out.
    """
    quoted = [_("“%(name)s”") % {"name": name.strip().rstrip(".")} for name in names]
    return get_text_list(quoted, _("and"))


NOT_FOLLOWED = Part(
    none=None,
    one=N_("One of them has not been followed up for the period."),
    few=N_("%(count)s of them have not been followed up for the period."),
    many=N_("Of them, %(count)s have not been followed up for the period."),
    all=N_("None of them has been followed up for the period."),
    both=N_("Neither of them has been followed up for the period."),
    it=N_("It has not been followed up for the period."),
    it_none=None,
)


def critical(
    total_risks: int,
    critical: int,
    level_name: str,
    examined: int,
    off_track_names: list[str],
    not_followed: int = 0,
) -> str:
    """How many risks the plan handles, how many are critical, examined, and off the plan.

    `examined` of the `critical` risks are also examined in the internal control plan; the
    risks named in `off_track_names` do not follow the plan; `not_followed` of them have no
    follow-up for the period (then "all follow the plan" is not claimed). "Planen hanterar 14
    risker. Tre av dem ligger på den högsta nivån (Mycket hög). Två av dessa granskas också i
    internkontrollplanen. En av dem följer inte planen: Risk X."
    """
    off_track = len(off_track_names)
    _check(total_risks=total_risks, critical=critical, examined=examined, not_followed=not_followed)
    _check_part("critical", critical, "total_risks", total_risks)
    _check_part("examined", examined, "critical", critical)
    _check_part("off_track_names", off_track, "critical", critical)
    _check_part("off track and not followed", off_track + not_followed, "critical", critical)
    if not total_risks:
        return _whole(HANDLED, 0)
    if not critical:
        return _join(
            _whole(HANDLED, total_risks),
            _part(AT_HIGHEST_LEVEL, 0, total_risks, level=level_name),
        )
    off_track_sentence = _part(OFF_TRACK, off_track, critical, names=names_list(off_track_names))
    if not_followed and not off_track:
        off_track_sentence = ""
    return _join(
        _whole(HANDLED, total_risks),
        _part(AT_HIGHEST_LEVEL, critical, total_risks, level=level_name),
        _part(EXAMINED, examined, critical),
        off_track_sentence,
        _part(NOT_FOLLOWED, not_followed, critical),
    )


# The organisation-wide overview ----------------------------------------------------------------

WITH_PLAN = Whole(
    none=N_("No committee has an internal control plan for the year yet."),
    one=N_("One committee has an internal control plan for the year."),
    few=N_("%(count)s committees have an internal control plan for the year."),
    many=N_("In all, %(count)s committees have an internal control plan for the year."),
)
WITHOUT_PLAN = Whole(
    none=None,
    one=N_("One committee has no plan yet."),
    few=N_("%(count)s committees have no plan yet."),
    many=N_("In all, %(count)s committees have no plan yet."),
)
ONE_PLAN_HOLDS = Whole(
    none=N_("The plan holds no risks yet."),
    one=N_("The plan holds one risk."),
    few=N_("The plan holds %(count)s risks."),
    many=N_("The plan holds %(count)s risks."),
)
PLANS_HOLD = Whole(
    none=N_("The plans hold no risks yet."),
    one=N_("Together the plans hold one risk."),
    few=N_("Together the plans hold %(count)s risks."),
    many=N_("Together the plans hold %(count)s risks."),
)
CRITICAL_OF_ALL = Part(
    none=N_("None of them is at the highest level."),
    one=N_("One of them is at the highest level."),
    few=N_("%(count)s of them are at the highest level."),
    many=N_("Of them, %(count)s are at the highest level."),
    all=N_("All of them are at the highest level."),
    both=N_("Both are at the highest level."),
    it=N_("It is at the highest level."),
    it_none=N_("It is not at the highest level."),
)


def committees(with_plan: int, without_plan: int, risks: int, critical: int) -> str:
    """The organisation-wide overview: committees with and without a plan, risks, critical.

    "Fem nämnder har en internkontrollplan för året. En nämnd saknar ännu plan. Planerna
    omfattar tillsammans 40 risker. Tre av dem ligger på den högsta nivån."
    """
    _check(with_plan=with_plan, without_plan=without_plan, risks=risks, critical=critical)
    _check_part("critical", critical, "risks", risks)
    if not with_plan:
        if risks:
            raise ValueError(f"{risks} risks without a plan")
        return _join(_whole(WITH_PLAN, 0), _whole(WITHOUT_PLAN, without_plan))
    every = _("Every committee has a plan.") if with_plan > 1 and not without_plan else ""
    return _join(
        _whole(WITH_PLAN, with_plan),
        _whole(WITHOUT_PLAN, without_plan) or every,
        _whole(ONE_PLAN_HOLDS if with_plan == 1 else PLANS_HOLD, risks),
        _part(CRITICAL_OF_ALL, critical, risks) if risks else "",
    )


# The committee's assessment --------------------------------------------------------------------

VERDICTS = {
    Assessment.Verdict.SUFFICIENT: N_(
        "The committee judges that its internal control has been sufficient."
    ),
    Assessment.Verdict.PARTLY_SUFFICIENT: N_(
        "The committee judges that its internal control has been partly sufficient."
    ),
    Assessment.Verdict.INSUFFICIENT: N_(
        "The committee judges that its internal control has not been sufficient."
    ),
}


def verdict(code: str | None) -> str:
    """The committee's verdict on its internal control as a whole sentence.

    `code` is an `Assessment.Verdict` value ("sufficient"); the verdict's label in the active
    language ("tillräcklig") is understood too. None or "" is a plan not yet assessed.
    """
    if not code:
        return _("The committee has not yet assessed its internal control.")
    for choice, message in VERDICTS.items():
        if code == choice.value or code.casefold() == str(choice.label).casefold():
            return _(message)
    raise ValueError(f"unknown verdict: {code!r}")
