"""The summary sentences, read over every count from 0 to 20 as a committee member reads them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from django.test import SimpleTestCase
from django.utils import translation

from internkontroll.reports import prose

SWEDISH_NUMBERS = prose.SWEDISH
PERIOD = "verksamhetsberättelse"
T1 = "tertialrapport 1"
LEVEL = "Mycket hög"
NAMES = ["Felaktiga utbetalningar", "Brister i dokumentationen", "Jäv vid upphandling"]
Call = tuple[str, Callable[[], str], tuple[int, ...]]


def names(count: int) -> list[str]:
    return [NAMES[i % len(NAMES)] + " " + "x" * (i // len(NAMES)) for i in range(count)]


def every_call() -> Iterator[Call]:
    """Every function over counts 0 to 20, with grids where a function takes several counts.

    Each call comes with a description and its counts (for the number checks), the first of
    them the total that is always said.
    """
    for total in range(21):
        for part in range(total + 1):
            yield (
                f"risks({total}, {part})",
                lambda t=total, p=part: prose.risks(t, p),
                (total, part),
            )
            yield (
                f"recommendations({total}, {part})",
                lambda t=total, p=part: prose.recommendations(t, p),
                (total, part),
            )
    for count in range(21):
        for status in range(4):
            counts = [0, 0, 0, 0]
            counts[status] = count
            overdue = count if status in (0, 2) else 0
            yield (
                f"actions({counts}, overdue={overdue})",
                lambda c=tuple(counts), o=overdue: prose.actions(*c, overdue=o),
                (count, *counts, overdue),
            )
    for in_progress in range(4):
        for done in range(4):
            for not_started in range(4):
                for cancelled in range(3):
                    for overdue in range(in_progress + not_started + 1):
                        counts = (in_progress, done, not_started, cancelled, overdue)
                        yield (
                            f"actions{counts}",
                            lambda c=counts: prose.actions(*c),
                            (sum(counts[:4]), *counts),
                        )
    for risks in range(21):
        for activities in range(21 if risks else 1):
            yield (
                f"plan_reviews({risks}, {activities})",
                lambda r=risks, a=activities: prose.plan_reviews(r, a),
                (risks, activities),
            )
    for due in range(21):
        for followed in range(due + 1):
            for not_done in range(followed + 1):
                for deviations in (0, 1, 3, 14):
                    for period in (None, PERIOD):
                        counts = (due, followed, not_done, deviations)
                        yield (
                            f"activities_followed{counts}, {period}",
                            lambda c=counts, p=period: prose.activities_followed(*c, p),
                            # Those carried out and those not followed up are counted too.
                            (*counts, followed - not_done, due - followed),
                        )
    for total in range(21):
        for critical in range(total + 1):
            for examined in range(critical + 1):
                for off_track in sorted({0, 1, critical // 2, critical} & set(range(critical + 1))):
                    for unfollowed in sorted({0, 1, critical - off_track} - {-1}):
                        if off_track + unfollowed > critical:
                            continue
                        counts = (total, critical, examined, off_track, unfollowed)
                        yield (
                            f"critical{counts}",
                            lambda t=total, c=critical, e=examined, o=off_track, u=unfollowed: (
                                prose.critical(t, c, LEVEL, e, names(o), u)
                            ),
                            counts,
                        )
    for with_plan in range(21):
        for without_plan in range(21):
            for risks in (0, 1, 2, 12, 13, 40) if with_plan else (0,):
                for critical in sorted({0, 1, risks // 2, risks} & set(range(risks + 1))):
                    counts = (with_plan, without_plan, risks, critical)
                    yield f"committees{counts}", lambda c=counts: prose.committees(*c), counts
    for code in ("sufficient", "partly_sufficient", "insufficient", None):
        yield f"verdict({code})", lambda v=code: prose.verdict(v), ()


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text) if part]


def in_swedish(call: Callable[[], str]) -> str:
    with translation.override("sv"):
        return call()


def in_english(call: Callable[[], str]) -> str:
    with translation.override("en"):
        return call()


ENGLISH_WORDS = re.compile(
    r"\b(the|of|and|has|have|been|is|are|them|these|it|none|all|both|which|yet|through|no|one)\b"
)
SWEDISH_WORDS = re.compile(r"[åäöÅÄÖ]|\b(av|och|har|dem|dessa|inga|ingen|samtliga|risker|den)\b")
NEGATED = re.compile(r"\b(ingen|inget|inga)\b", re.IGNORECASE)
PLURAL_NOUNS = {"risker", "åtgärder", "kontrollaktiviteter", "avvikelser"}
SINGULAR_AFTER_INGEN = {"av", "åtgärd", "kontrollaktivitet", "avvikelse", "nämnd", "har"}


class EverySentenceInSwedishTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.texts = [(name, in_swedish(call), counts) for name, call, counts in every_call()]

    def test_it_reads_over_thousands_of_counts(self) -> None:
        assert len(self.texts) > 10_000

    def test_every_text_starts_with_a_capital_letter_and_ends_with_a_full_stop(self) -> None:
        for name, text, _counts in self.texts:
            assert text[:1].isupper(), (name, text)
            assert text.endswith("."), (name, text)

    def test_no_sentence_starts_with_a_digit(self) -> None:
        for name, text, _counts in self.texts:
            for part in sentences(text):
                assert not part[:1].isdigit(), (name, text)

    def test_a_capital_letter_follows_every_full_stop(self) -> None:
        for name, text, _counts in self.texts:
            assert all(letter.isupper() for letter in re.findall(r"\. (.)", text)), (name, text)

    def test_no_sentence_negates_twice(self) -> None:
        for name, text, _counts in self.texts:
            assert "inga av dem" not in text.lower(), (name, text)
            for part in sentences(text):
                assert not (NEGATED.search(part) and re.search(r"\binte\b", part)), (name, part)

    def test_inga_comes_before_plural_nouns_and_ingen_before_singular_ones(self) -> None:
        for name, text, _counts in self.texts:
            lower = text.lower()
            assert set(re.findall(r"\binga (\w+)", lower)) <= PLURAL_NOUNS, (name, text)
            assert set(re.findall(r"\bingen (\w+)", lower)) <= SINGULAR_AFTER_INGEN, (name, text)
            assert "inget" not in lower, (name, text)  # no neuter noun is counted

    def test_numbers_up_to_twelve_are_words_and_larger_ones_digits(self) -> None:
        for name, text, counts in self.texts:
            digits = {int(number) for number in re.findall(r"\d+", text)}
            assert digits <= {count for count in counts if count > 12}, (name, text)
            if counts and counts[0] > 12:
                assert str(counts[0]) in text, (name, text)

    def test_no_english_word_or_code_reaches_the_reader(self) -> None:
        for name, text, _counts in self.texts:
            assert not ENGLISH_WORDS.search(text), (name, text)
            assert "_" not in text and "%" not in text, (name, text)

    def test_no_deviations_are_claimed_when_an_activity_was_not_carried_out(self) -> None:
        for name, text, counts in self.texts:
            if name.startswith("activities_followed"):
                due, followed, not_done = counts[:3]
                if not_done or followed < due:
                    assert "inga avvikelser" not in text and "ingen avvikelse" not in text, name

    def test_that_no_action_is_late_is_said_only_while_some_action_is_unfinished(self) -> None:
        for name, text, counts in self.texts:
            if name.startswith("actions"):
                _total, in_progress, _done, not_started, _cancelled, _overdue = counts
                assert ("slutdatum" in text) == bool(in_progress + not_started), (name, text)


class EnglishTests(SimpleTestCase):
    def test_a_sample_of_every_function_reads_as_english(self) -> None:
        for index, (name, call, _counts) in enumerate(every_call()):
            if index % 37:
                continue
            text = in_english(call)
            assert text[:1].isupper(), (name, text)
            for name_in_data in [LEVEL, PERIOD, *NAMES]:
                text = text.replace(name_in_data, "")
            assert not SWEDISH_WORDS.search(text), (name, text)
            for part in sentences(text):
                assert not part[:1].isdigit(), (name, text)

    def test_the_typical_sentences_read_in_english(self) -> None:
        cases = [
            (
                lambda: prose.risks(5, 3),
                "Five risks have been identified and are part of the risk picture. "
                "Three of them are handled through actions that are followed up.",
            ),
            (
                lambda: prose.recommendations(3, 0),
                "The auditors have made three recommendations, none of which has been carried out.",
            ),
            (
                lambda: prose.critical(14, 3, "Very high", 2, ["Risk X"]),
                "The plan handles 14 risks. Three of them are at the highest level (Very high). "
                "Two of these are also examined in the internal control plan. "
                "One of them does not follow the plan: “Risk X”.",
            ),
            (
                lambda: prose.verdict("partly_sufficient"),
                "The committee judges that its internal control has been partly sufficient.",
            ),
        ]
        for call, expected in cases:
            assert in_english(call) == expected


class TypicalSentencesTests(SimpleTestCase):
    def expect(self, call: Callable[[], str], expected: str) -> None:
        assert in_swedish(call) == expected

    def test_the_risk_picture(self) -> None:
        self.expect(
            lambda: prose.risks(5, 5),
            "Fem risker har identifierats och ingår i den samlade riskbilden. "
            "Samtliga hanteras genom åtgärder som följs upp.",
        )
        self.expect(
            lambda: prose.risks(5, 3),
            "Fem risker har identifierats och ingår i den samlade riskbilden. "
            "Tre av dem hanteras genom åtgärder som följs upp.",
        )
        self.expect(
            lambda: prose.risks(14, 13),
            "Totalt har 14 risker identifierats och ingår i den samlade riskbilden. "
            "Av dem hanteras 13 genom åtgärder som följs upp.",
        )
        self.expect(lambda: prose.risks(0, 0), "Inga risker har identifierats.")
        self.expect(
            lambda: prose.risks(1, 1),
            "En risk har identifierats och ingår i den samlade riskbilden. "
            "Den hanteras genom åtgärder som följs upp.",
        )

    def test_the_actions(self) -> None:
        self.expect(lambda: prose.actions(0, 0, 0, 0, 0), "Inga åtgärder har beslutats.")
        self.expect(
            lambda: prose.actions(in_progress=3, done=1, not_started=1, cancelled=0, overdue=0),
            "Fem åtgärder har beslutats. Tre av dem pågår. En av dem har avslutats. "
            "En av dem har ännu inte påbörjats. Ingen åtgärd har passerat sitt slutdatum.",
        )
        self.expect(
            lambda: prose.actions(in_progress=0, done=2, not_started=0, cancelled=0, overdue=0),
            "Två åtgärder har beslutats. Båda har avslutats.",
        )
        self.expect(
            lambda: prose.actions(in_progress=1, done=0, not_started=0, cancelled=0, overdue=1),
            "En åtgärd har beslutats. Den pågår. En åtgärd har passerat sitt slutdatum.",
        )
        self.expect(
            lambda: prose.actions(in_progress=0, done=0, not_started=3, cancelled=0, overdue=2),
            "Tre åtgärder har beslutats. Ingen av dem har påbörjats ännu. "
            "Två åtgärder har passerat sitt slutdatum.",
        )

    def test_the_plan(self) -> None:
        self.expect(
            lambda: prose.plan_reviews(3, 5),
            "Planen granskar tre risker genom fem kontrollaktiviteter.",
        )
        self.expect(
            lambda: prose.plan_reviews(1, 0),
            "Planen granskar en risk men har ännu ingen kontrollaktivitet.",
        )
        self.expect(
            lambda: prose.plan_reviews(14, 1),
            "Planen granskar 14 risker genom en kontrollaktivitet.",
        )

    def test_the_control_activities_of_a_period(self) -> None:
        self.expect(
            lambda: prose.activities_followed(4, 4, 1, 1, T1),
            "Fyra kontrollaktiviteter skulle rapporteras till tertialrapport 1. "
            "Tre av dem har genomförts och följts upp. En av dem har inte genomförts. "
            "Kontrollerna fann en avvikelse.",
        )
        self.expect(
            lambda: prose.activities_followed(4, 4, 0, 0, T1),
            "Fyra kontrollaktiviteter skulle rapporteras till tertialrapport 1. "
            "Samtliga har genomförts och följts upp. Kontrollerna visade inga avvikelser.",
        )
        self.expect(
            lambda: prose.activities_followed(3, 2, 1, 0, T1),
            "Tre kontrollaktiviteter skulle rapporteras till tertialrapport 1. "
            "En av dem har genomförts och följts upp. En av dem har inte genomförts. "
            "En av dem har ännu inte följts upp.",
        )
        self.expect(
            lambda: prose.activities_followed(1, 1, 0, 0, None),
            "Internkontrollplanen innehåller en kontrollaktivitet. "
            "Den har genomförts och följts upp. Kontrollen fann ingen avvikelse.",
        )
        self.expect(
            lambda: prose.activities_followed(0, 0, 0, 0, T1),
            "Inga kontrollaktiviteter skulle rapporteras till tertialrapport 1.",
        )
        self.expect(
            lambda: prose.activities_followed(15, 0, 0, 0, T1),
            "Totalt skulle 15 kontrollaktiviteter rapporteras till tertialrapport 1. "
            "Ingen av dem har följts upp ännu.",
        )

    def test_the_recommendations(self) -> None:
        self.expect(
            lambda: prose.recommendations(1, 0),
            "Revisorerna har lämnat en rekommendation. Den har ännu inte genomförts.",
        )
        self.expect(
            lambda: prose.recommendations(3, 1),
            "Revisorerna har lämnat tre rekommendationer, varav en har genomförts.",
        )
        self.expect(
            lambda: prose.recommendations(3, 0),
            "Revisorerna har lämnat tre rekommendationer, varav ingen har genomförts.",
        )
        self.expect(
            lambda: prose.recommendations(15, 13),
            "Revisorerna har lämnat 15 rekommendationer, varav 13 har genomförts.",
        )
        self.expect(
            lambda: prose.recommendations(4, 4),
            "Revisorerna har lämnat fyra rekommendationer. Samtliga har genomförts.",
        )

    def test_the_critical_risks(self) -> None:
        self.expect(
            lambda: prose.critical(14, 3, LEVEL, 2, ["Felaktiga utbetalningar."]),
            "Planen hanterar 14 risker. Tre av dem ligger på den högsta nivån (Mycket hög). "
            "Två av dessa granskas också i internkontrollplanen. "
            "En av dem följer inte planen: ”Felaktiga utbetalningar”.",
        )
        self.expect(
            lambda: prose.critical(2, 2, LEVEL, 2, []),
            "Planen hanterar två risker. Båda ligger på den högsta nivån (Mycket hög). "
            "Båda granskas också i internkontrollplanen. Samtliga följer planen.",
        )
        self.expect(
            lambda: prose.critical(5, 3, LEVEL, 0, NAMES),
            "Planen hanterar fem risker. Tre av dem ligger på den högsta nivån (Mycket hög). "
            "Ingen av dessa granskas i internkontrollplanen. Ingen av dem följer planen: "
            "”Felaktiga utbetalningar”, ”Brister i dokumentationen” och ”Jäv vid upphandling”.",
        )
        self.expect(
            lambda: prose.critical(5, 0, LEVEL, 0, []),
            "Planen hanterar fem risker. Ingen av dem ligger på den högsta nivån (Mycket hög).",
        )
        self.expect(lambda: prose.critical(0, 0, LEVEL, 0, []), "Planen hanterar inga risker.")
        self.expect(
            lambda: prose.critical(6, 3, LEVEL, 3, [], not_followed=2),
            "Planen hanterar sex risker. Tre av dem ligger på den högsta nivån (Mycket hög). "
            "Samtliga granskas också i internkontrollplanen. "
            "Två av dem har inte följts upp för perioden.",
        )
        self.expect(
            lambda: prose.critical(4, 2, LEVEL, 1, ["Jäv vid upphandling"], not_followed=1),
            "Planen hanterar fyra risker. Två av dem ligger på den högsta nivån (Mycket hög). "
            "En av dessa granskas också i internkontrollplanen. "
            "En av dem följer inte planen: ”Jäv vid upphandling”. "
            "En av dem har inte följts upp för perioden.",
        )

    def test_the_overview(self) -> None:
        self.expect(
            lambda: prose.committees(5, 1, 40, 3),
            "Fem nämnder har en internkontrollplan för året. En nämnd saknar ännu plan. "
            "Planerna omfattar tillsammans 40 risker. Tre av dem ligger på den högsta nivån.",
        )
        self.expect(
            lambda: prose.committees(1, 0, 1, 0),
            "En nämnd har en internkontrollplan för året. Planen omfattar en risk. "
            "Den ligger inte på den högsta nivån.",
        )
        self.expect(
            lambda: prose.committees(0, 3, 0, 0),
            "Ingen nämnd har ännu någon internkontrollplan för året. Tre nämnder saknar ännu plan.",
        )

    def test_the_verdict_is_a_whole_sentence_for_every_verdict(self) -> None:
        self.expect(
            lambda: prose.verdict("sufficient"),
            "Nämnden bedömer att den interna kontrollen har varit tillräcklig.",
        )
        self.expect(
            lambda: prose.verdict("partly_sufficient"),
            "Nämnden bedömer att den interna kontrollen har varit delvis tillräcklig.",
        )
        self.expect(
            lambda: prose.verdict("insufficient"),
            "Nämnden bedömer att den interna kontrollen inte har varit tillräcklig.",
        )
        self.expect(
            lambda: prose.verdict(None), "Nämnden har ännu inte bedömt sin interna kontroll."
        )
        self.expect(
            lambda: prose.verdict("delvis tillräcklig"),
            "Nämnden bedömer att den interna kontrollen har varit delvis tillräcklig.",
        )


class AgreementTests(SimpleTestCase):
    """Ingen, inget or inga by the noun's number and gender."""

    def test_each_negation_agrees_with_its_noun(self) -> None:
        cases = [
            (lambda: prose.recommendations(3, 0), "varav ingen har genomförts"),
            (lambda: prose.plan_reviews(1, 0), "ännu ingen kontrollaktivitet"),
            (lambda: prose.plan_reviews(2, 0), "ännu inga kontrollaktiviteter"),
            (lambda: prose.risks(0, 0), "Inga risker"),
            (lambda: prose.actions(0, 0, 0, 0, 0), "Inga åtgärder"),
            (lambda: prose.actions(2, 0, 0, 0, 0), "Ingen åtgärd har passerat"),
            (lambda: prose.activities_followed(2, 2, 0, 0, None), "visade inga avvikelser"),
            (lambda: prose.activities_followed(1, 1, 0, 0, None), "fann ingen avvikelse"),
            (lambda: prose.activities_followed(2, 2, 2, 0, None), "Ingen av dem har genomförts"),
            (lambda: prose.critical(3, 0, LEVEL, 0, []), "Ingen av dem ligger"),
            (lambda: prose.committees(0, 0, 0, 0), "Ingen nämnd"),
            (lambda: prose.committees(2, 0, 0, 0), "ännu inga risker"),
        ]
        for call, expected in cases:
            assert expected in in_swedish(call), expected

    def test_one_takes_the_nouns_gender(self) -> None:
        with translation.override("sv"):
            assert [prose.number_word(n) for n in (0, 1, 2, 8, 12, 13)] == [
                "inga", "en", "två", "åtta", "tolv", "13",
            ]  # fmt: skip
            assert prose.number_word(1, neuter=True) == "ett"
            assert prose.number_word(7, neuter=True) == "sju"
        with translation.override("en"):
            assert prose.number_word(1, neuter=True) == "one"

    def test_every_number_up_to_twelve_is_written_out(self) -> None:
        for count in range(2, 13):
            text = in_swedish(lambda c=count: prose.risks(c, 0))
            assert text.startswith(SWEDISH_NUMBERS[count].capitalize() + " risker"), text


class InconsistentCountsTests(SimpleTestCase):
    def test_it_refuses_counts_that_cannot_be(self) -> None:
        impossible: list[Callable[[], str]] = [
            lambda: prose.risks(2, 3),
            lambda: prose.risks(-1, 0),
            lambda: prose.actions(1, 0, 0, 0, 2),
            lambda: prose.plan_reviews(0, 1),
            lambda: prose.activities_followed(2, 3, 0, 0, None),
            lambda: prose.activities_followed(2, 1, 2, 0, None),
            lambda: prose.recommendations(1, 2),
            lambda: prose.critical(2, 3, LEVEL, 0, []),
            lambda: prose.critical(3, 1, LEVEL, 0, ["A", "B"]),
            lambda: prose.committees(0, 0, 3, 0),
            lambda: prose.verdict("excellent"),
        ]
        for call in impossible:
            with self.assertRaises(ValueError):
                call()
