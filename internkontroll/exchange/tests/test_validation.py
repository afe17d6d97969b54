"""Tests of exchange document validation: the schema layer and the rules between a document's parts.

Messages are checked for the facts they carry (numbers, ids, codes) rather than their wording,
which depends on the active language; two tests at the end check the Swedish wording.
"""

import copy
import json
from typing import Any

import pytest
from django.utils import translation
from jsonschema import Draft202012Validator

from internkontroll.exchange.validation import SCHEMA_PATH, Problem, validate_document

Document = dict[str, Any]


def example_document() -> Document:
    """A document with every object of the format (docs/exchange-format.md), texts our own."""
    return {
        "format": "internkontroll/1",
        "organisation": {
            "name": "Exempelkommun",
            "risk_matrix": {
                "probability": ["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"],
                "consequence": ["Försumbar", "Lindrig", "Kännbar", "Allvarlig"],
                "levels": [
                    {"name": "Låg", "min_score": 1, "color": "#2e7d32"},
                    {"name": "Medel", "min_score": 4, "color": "#f9a825"},
                    {"name": "Hög", "min_score": 6, "color": "#ef6c00"},
                    {"name": "Kritisk", "min_score": 9, "color": "#c62828"},
                ],
            },
            "periods": [
                {"code": "T1", "name": "Tertialrapport 1", "ends": "04-30"},
                {"code": "T2", "name": "Tertialrapport 2", "ends": "08-31"},
                {"code": "VB", "name": "Verksamhetsberättelse", "ends": "12-31"},
            ],
        },
        "units": [
            {"id": "ks", "name": "Kommunstyrelsen", "kind": "committee", "parent": None},
            {"id": "sn", "name": "Socialnämnden", "kind": "committee", "parent": None},
            {"id": "sf", "name": "Socialförvaltningen", "kind": "administration", "parent": "sn"},
            {"id": "sf-vux", "name": "Vuxenenheten", "kind": "unit", "parent": "sf"},
        ],
        "goals": [
            {"id": "1.1", "unit": "sn", "year": 2025, "title": "Människor är självförsörjande"}
        ],
        "plans": [
            {
                "unit": "sn",
                "year": 2025,
                "adopted_on": "2024-12-12",
                "reference": "SN-2024/259",
                "risks": [
                    {
                        "id": "r-1",
                        "title": "Välfärdsbrottslighet",
                        "unit": "sf-vux",
                        "area": "Risker för oegentligheter",
                        "process": "Ekonomiskt bistånd",
                        "goal": "1.1",
                        "description": "Bistånd betalas ut på falska uppgifter.",
                        "consequence_description": "Felaktiga utbetalningar, minskat förtroende.",
                        "existing_controls": "Kontroll mot Försäkringskassan vid nybesök.",
                        "probability": 3,
                        "consequence": 3,
                        "target_probability": 2,
                        "target_consequence": 3,
                        "handling": ["mitigate", "review"],
                        "planned_handling": "Utbildning och stickprov.",
                        "actions": [
                            {
                                "id": "a-1",
                                "title": "Utbilda handläggarna",
                                "description": "Halvdag om välfärdsbrott.",
                                "responsible": "Enhetschef",
                                "due_date": "2025-12-31",
                                "status": "in_progress",
                                "follow_ups": [
                                    {
                                        "period": "T2",
                                        "date": "2025-09-05",
                                        "status": "in_progress",
                                        "on_track": True,
                                        "comment": "Hälften utbildade.",
                                    }
                                ],
                            }
                        ],
                        "control_activities": [
                            {
                                "id": "k-1",
                                "title": "Stickprov på utbetalningar",
                                "working_method": "Fyraögonsprincip vid utbetalning.",
                                "systematic_control": "Attest av två handläggare.",
                                "description": "Granska att attesten är gjord.",
                                "method": "sample",
                                "sample": "10 fakturor per kvartal",
                                "responsible": "Redovisningsansvarig",
                                "frequency": "quarterly",
                                "periods": ["T1", "T2", "VB"],
                                "due_date": "2025-12-31",
                                "follow_ups": [
                                    {
                                        "period": "T1",
                                        "date": "2025-05-02",
                                        "result": "no_remarks",
                                        "comment": "",
                                    }
                                ],
                            }
                        ],
                        "follow_ups": [
                            {
                                "period": "T2",
                                "date": "2025-09-05",
                                "on_track": True,
                                "comment": "Enligt plan.",
                            }
                        ],
                    }
                ],
                "assessment": {
                    "verdict": "sufficient",
                    "decided_on": "2026-02-20",
                    "analysis": "Inga större brister.",
                },
            }
        ],
        "audit_reports": [
            {
                "id": "rev-2022-1",
                "unit": "sn",
                "title": "Granskning av resor i tjänsten",
                "auditor": "Stadsrevisionen",
                "date": "2023-03-15",
                "recommendations": [
                    {
                        "id": "rek-1",
                        "text": "Förtydliga resepolicyn.",
                        "response": "Policyn ses över under 2023.",
                        "status": "in_progress",
                        "follow_ups": [
                            {
                                "date": "2023-11-21",
                                "status": "in_progress",
                                "comment": "Remiss ute.",
                            }
                        ],
                    }
                ],
            }
        ],
    }


def minimal_document() -> Document:
    return {"format": "internkontroll/1", "organisation": {"name": "Exempelkommun"}}


def risk_of(document: Document, plan: int = 0, risk: int = 0) -> Document:
    risk_data: Document = document["plans"][plan]["risks"][risk]
    return risk_data


def paths(document: object) -> list[str]:
    return [problem.path for problem in validate_document(document)]


def message_at(document: object, path: str) -> str:
    """The message of the one problem at path."""
    messages = [problem.message for problem in validate_document(document) if problem.path == path]
    assert len(messages) == 1, f"{path}: {validate_document(document)}"
    return messages[0]


def five_by_five_matrix() -> Document:
    return {
        "probability": ["1", "2", "3", "4", "5"],
        "consequence": ["1", "2", "3", "4", "5"],
        "levels": [
            {"name": "Låg", "min_score": 1, "color": "#2e7d32"},
            {"name": "Hög", "min_score": 10, "color": "#c62828"},
        ],
    }


# Valid documents


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_it_accepts_the_example_document() -> None:
    assert validate_document(example_document()) == []


def test_it_accepts_a_minimal_document() -> None:
    assert validate_document(minimal_document()) == []


def test_it_accepts_empty_texts_and_lists() -> None:
    document = example_document()
    document["organisation"]["name"] = ""
    risk_of(document).update(
        description="", actions=[], control_activities=[], follow_ups=[], handling=[]
    )
    document["goals"] = []

    assert paths(document) == ["plans[0].risks[0].goal"]


def test_it_accepts_an_unassessed_risk() -> None:
    document = example_document()
    for key in ("probability", "consequence", "target_probability", "target_consequence"):
        del risk_of(document)[key]

    assert validate_document(document) == []


# The document and its format


@pytest.mark.parametrize("document", [[], "internkontroll/1", None, 5, True])
def test_it_rejects_a_document_that_is_not_an_object(document: object) -> None:
    assert paths(document) == [""]


def test_it_reports_an_unsupported_format_first() -> None:
    document = example_document()
    document["units"][0]["kind"] = "nämnd"
    document["format"] = "internkontroll/2"

    problems = validate_document(document)

    assert [problem.path for problem in problems] == ["format", "units[0].kind"]
    assert "internkontroll/2" in problems[0].message
    assert "internkontroll/1" in problems[0].message


def test_it_reports_a_format_that_is_not_text() -> None:
    document = example_document()
    document["format"] = 1

    assert "internkontroll/1" in message_at(document, "format")


def test_it_reports_a_missing_format_first() -> None:
    document = example_document()
    del document["format"]
    document["units"][0]["kind"] = "nämnd"

    assert paths(document) == ["format", "units[0].kind"]


# Schema layer


def test_it_names_unknown_keys_at_every_depth() -> None:
    document = example_document()
    document["version"] = 1
    document["organisation"]["risk_matrix"]["levels"][1]["shade"] = "dark"
    document["units"][2]["nickname"] = "SF"
    risk_of(document)["actions"][0]["follow_ups"][0]["mood"] = "glad"
    document["audit_reports"][0]["recommendations"][0]["follow_ups"][0]["grade"] = "A"

    problems = validate_document(document)

    assert [problem.path for problem in problems] == [
        "organisation.risk_matrix.levels[1].shade",
        "units[2].nickname",
        "plans[0].risks[0].actions[0].follow_ups[0].mood",
        "audit_reports[0].recommendations[0].follow_ups[0].grade",
        "version",
    ]
    assert '"shade"' in problems[0].message
    assert '"version"' in problems[-1].message


def test_it_quotes_unknown_keys_that_are_not_identifiers() -> None:
    document = minimal_document()
    document["organisation"]["full name"] = "Exempelkommun"

    assert paths(document) == ['organisation["full name"]']


def test_it_reports_each_missing_required_key_at_its_own_path() -> None:
    document = example_document()
    del document["organisation"]["name"]
    del document["units"][1]["name"]
    del document["units"][1]["kind"]
    del document["plans"][0]["year"]
    del risk_of(document)["title"]
    del risk_of(document)["control_activities"][0]["id"]
    del risk_of(document)["follow_ups"][0]["date"]
    del document["audit_reports"][0]["recommendations"][0]["text"]

    problems = validate_document(document)

    assert [problem.path for problem in problems] == [
        "organisation.name",
        "units[1].name",
        "units[1].kind",
        "plans[0].year",
        "plans[0].risks[0].title",
        "plans[0].risks[0].control_activities[0].id",
        "plans[0].risks[0].follow_ups[0].date",
        "audit_reports[0].recommendations[0].text",
    ]
    assert '"kind"' in problems[2].message


def test_it_requires_the_organisation() -> None:
    document = example_document()
    del document["organisation"]

    assert paths(document) == ["organisation"]


def test_it_reports_a_wrong_type_once() -> None:
    document = example_document()
    document["plans"][0]["year"] = "2025"
    document["units"][3]["parent"] = 5
    risk_of(document)["handling"] = "mitigate"
    risk_of(document)["actions"][0]["follow_ups"][0]["on_track"] = "ja"
    risk_of(document)["control_activities"][0]["due_date"] = 20251231
    document["goals"] = {"1.1": "Människor är självförsörjande"}

    assert paths(document) == [
        "units[3].parent",
        "goals",
        "plans[0].year",
        "plans[0].risks[0].handling",
        "plans[0].risks[0].actions[0].follow_ups[0].on_track",
        "plans[0].risks[0].control_activities[0].due_date",
    ]
    assert "2025" in message_at(document, "plans[0].year")


def test_it_treats_a_boolean_as_no_integer() -> None:
    document = example_document()
    risk_of(document)["probability"] = True

    assert paths(document) == ["plans[0].risks[0].probability"]


def test_it_lists_the_allowed_codes_of_an_enumeration() -> None:
    document = example_document()
    risk_of(document)["actions"][0]["status"] = "ongoing"
    risk_of(document)["handling"] = ["mitigate", "ignore"]

    message = message_at(document, "plans[0].risks[0].actions[0].status")
    assert paths(document) == [
        "plans[0].risks[0].handling[1]",
        "plans[0].risks[0].actions[0].status",
    ]
    assert "ongoing" in message
    assert all(code in message for code in ("not_started", "in_progress", "done", "cancelled"))


def test_it_reports_a_repeated_handling_code_at_the_repetition() -> None:
    document = example_document()
    risk_of(document)["handling"] = ["mitigate", "review", "mitigate"]

    assert paths(document) == ["plans[0].risks[0].handling[2]"]


def test_it_rejects_scale_values_below_one() -> None:
    document = example_document()
    risk_of(document)["probability"] = 0

    assert paths(document) == ["plans[0].risks[0].probability"]
    assert "0" in message_at(document, "plans[0].risks[0].probability")


@pytest.mark.parametrize(
    ("path", "change"),
    [
        (
            "plans[0].adopted_on",
            lambda document: document["plans"][0].update(adopted_on="2024-12-1"),
        ),
        (
            "plans[0].assessment.decided_on",
            lambda document: document["plans"][0]["assessment"].update(decided_on="20.2.2026"),
        ),
        (
            "organisation.periods[0].ends",
            lambda document: document["organisation"]["periods"][0].update(ends="4-30"),
        ),
        (
            "organisation.risk_matrix.levels[0].color",
            lambda document: document["organisation"]["risk_matrix"]["levels"][0].update(
                color="green"
            ),
        ),
    ],
)
def test_it_reports_values_written_in_the_wrong_form(path: str, change: Any) -> None:
    document = example_document()
    change(document)

    assert paths(document) == [path]


# Risk matrix and scales


def test_it_rejects_a_probability_outside_a_4x4_matrix() -> None:
    document = example_document()
    risk_of(document)["probability"] = 7

    message = message_at(document, "plans[0].risks[0].probability")
    assert paths(document) == ["plans[0].risks[0].probability"]
    assert "7" in message
    assert "4" in message


def test_it_rejects_a_target_outside_the_scale() -> None:
    document = example_document()
    risk_of(document)["target_consequence"] = 5

    assert paths(document) == ["plans[0].risks[0].target_consequence"]
    assert "5" in message_at(document, "plans[0].risks[0].target_consequence")


def test_it_applies_the_default_matrix_when_the_organisation_has_none() -> None:
    document = example_document()
    del document["organisation"]["risk_matrix"]
    risk_of(document)["consequence"] = 5

    assert paths(document) == ["plans[0].risks[0].consequence"]


def test_it_requires_probability_and_consequence_together() -> None:
    document = example_document()
    del risk_of(document)["consequence"]
    del risk_of(document)["target_probability"]

    problems = validate_document(document)

    assert [problem.path for problem in problems] == [
        "plans[0].risks[0].consequence",
        "plans[0].risks[0].target_probability",
    ]
    assert "probability" in problems[0].message
    assert "target_consequence" in problems[1].message


def test_a_plan_s_own_matrix_decides_the_scale_of_its_risks() -> None:
    document = example_document()
    document["plans"][0]["risk_matrix"] = five_by_five_matrix()
    risk_of(document)["probability"] = 5
    document["plans"].append(
        {
            "unit": "ks",
            "year": 2025,
            "risks": [{"id": "r-1", "title": "Brand", "probability": 5, "consequence": 2}],
        }
    )

    assert paths(document) == ["plans[1].risks[0].probability"]
    assert "1–4" in message_at(document, "plans[1].risks[0].probability")


def test_it_checks_a_plan_s_own_matrix() -> None:
    document = example_document()
    document["plans"][0]["risk_matrix"] = {**five_by_five_matrix(), "levels": []}

    assert paths(document) == ["plans[0].risk_matrix.levels"]


@pytest.mark.parametrize("labels", [["Låg", "Hög"], ["1", "2", "3", "4", "5", "6", "7"]])
def test_it_requires_between_three_and_six_steps_on_a_scale(labels: list[str]) -> None:
    document = example_document()
    document["organisation"]["risk_matrix"]["consequence"] = labels
    for key in ("probability", "consequence", "target_probability", "target_consequence"):
        del risk_of(document)[key]

    assert paths(document) == ["organisation.risk_matrix.consequence"]
    assert str(len(labels)) in message_at(document, "organisation.risk_matrix.consequence")


def test_it_requires_both_scales_of_a_matrix() -> None:
    document = example_document()
    del document["organisation"]["risk_matrix"]["probability"]

    assert paths(document) == ["organisation.risk_matrix.probability"]


def test_it_requires_unique_non_empty_labels() -> None:
    document = example_document()
    document["organisation"]["risk_matrix"]["probability"] = ["Låg", " ", "Hög", "Låg"]

    assert paths(document) == [
        "organisation.risk_matrix.probability[1]",
        "organisation.risk_matrix.probability[3]",
    ]
    assert "probability[0]" in message_at(document, "organisation.risk_matrix.probability[3]")


def test_it_requires_levels_with_unique_names() -> None:
    document = example_document()
    levels = document["organisation"]["risk_matrix"]["levels"]
    levels[2]["name"] = "Medel"
    levels[3]["name"] = ""

    assert paths(document) == [
        "organisation.risk_matrix.levels[2].name",
        "organisation.risk_matrix.levels[3].name",
    ]


def test_it_requires_a_colour_on_each_level() -> None:
    document = example_document()
    del document["organisation"]["risk_matrix"]["levels"][2]["color"]

    assert paths(document) == ["organisation.risk_matrix.levels[2].color"]


def test_it_requires_at_least_one_level() -> None:
    document = example_document()
    document["organisation"]["risk_matrix"]["levels"] = []

    assert paths(document) == ["organisation.risk_matrix.levels"]


def test_it_requires_increasing_min_scores_starting_at_one() -> None:
    document = example_document()
    levels = document["organisation"]["risk_matrix"]["levels"]
    levels[0]["min_score"] = 2
    levels[2]["min_score"] = 4
    del levels[3]["min_score"]

    assert paths(document) == [
        "organisation.risk_matrix.levels[0].min_score",
        "organisation.risk_matrix.levels[2].min_score",
        "organisation.risk_matrix.levels[3].min_score",
    ]
    assert "2" in message_at(document, "organisation.risk_matrix.levels[0].min_score")


def test_it_accepts_cells_naming_a_level_per_probability_and_consequence() -> None:
    document = example_document()
    document["organisation"]["risk_matrix"]["cells"] = [
        ["Låg", "Låg", "Medel", "Medel"],
        ["Låg", "Medel", "Hög", "Hög"],
        ["Medel", "Hög", "Hög", "Kritisk"],
        ["Medel", "Hög", "Kritisk", "Kritisk"],
    ]

    assert validate_document(document) == []


def test_it_rejects_cells_of_the_wrong_shape_or_with_unknown_levels() -> None:
    document = example_document()
    document["organisation"]["risk_matrix"]["cells"] = [
        ["Låg", "Låg", "Medel", "Medel"],
        ["Låg", "Medel", "Hög"],
        ["Medel", "Hög", "Hög", "Extrem"],
    ]

    assert paths(document) == [
        "organisation.risk_matrix.cells",
        "organisation.risk_matrix.cells[1]",
        "organisation.risk_matrix.cells[2][3]",
    ]
    assert "3" in message_at(document, "organisation.risk_matrix.cells[1]")
    assert "Extrem" in message_at(document, "organisation.risk_matrix.cells[2][3]")


# Periods


def test_it_rejects_a_follow_up_in_an_unknown_period() -> None:
    document = example_document()
    risk_of(document)["actions"][0]["follow_ups"][0]["period"] = "T3"
    risk_of(document)["control_activities"][0]["follow_ups"][0]["period"] = "Q1"
    risk_of(document)["follow_ups"][0]["period"] = "HB"

    assert paths(document) == [
        "plans[0].risks[0].actions[0].follow_ups[0].period",
        "plans[0].risks[0].control_activities[0].follow_ups[0].period",
        "plans[0].risks[0].follow_ups[0].period",
    ]
    assert "T3" in message_at(document, "plans[0].risks[0].actions[0].follow_ups[0].period")


def test_it_checks_the_period_of_a_recommendation_s_follow_up() -> None:
    document = example_document()
    follow_ups = document["audit_reports"][0]["recommendations"][0]["follow_ups"]
    follow_ups.append({"period": "VB", "date": "2023-12-31", "status": "done"})
    follow_ups.append({"period": "T4", "date": "2024-01-31", "status": "done"})

    assert paths(document) == ["audit_reports[0].recommendations[0].follow_ups[2].period"]


def test_it_rejects_a_control_activity_reported_in_an_unknown_period() -> None:
    document = example_document()
    risk_of(document)["control_activities"][0]["periods"] = ["T1", "Delår", "VB"]

    assert paths(document) == ["plans[0].risks[0].control_activities[0].periods[1]"]
    assert "Delår" in message_at(document, "plans[0].risks[0].control_activities[0].periods[1]")


def test_it_applies_the_default_periods_when_the_organisation_has_none() -> None:
    document = example_document()
    del document["organisation"]["periods"]
    risk_of(document)["control_activities"][0]["periods"] = ["T1", "Delår"]

    assert paths(document) == ["plans[0].risks[0].control_activities[0].periods[1]"]


def test_it_requires_unique_named_periods_ending_on_a_real_day() -> None:
    document = example_document()
    periods = document["organisation"]["periods"]
    periods[2]["ends"] = "02-30"
    periods.append({"code": "T1", "name": " ", "ends": "06-30"})
    periods.append({"code": "X", "name": "Skottdag", "ends": "02-29"})

    assert paths(document) == [
        "organisation.periods[2].ends",
        "organisation.periods[3].code",
        "organisation.periods[3].name",
    ]
    assert "periods[0]" in message_at(document, "organisation.periods[3].code")


# Ids and references


def test_it_rejects_a_repeated_action_id() -> None:
    document = example_document()
    actions = risk_of(document)["actions"]
    actions.append({**actions[0], "follow_ups": []})

    assert paths(document) == ["plans[0].risks[0].actions[1].id"]
    message = message_at(document, "plans[0].risks[0].actions[1].id")
    assert "a-1" in message
    assert "actions[0]" in message


def test_ids_need_only_be_unique_within_their_risk() -> None:
    document = example_document()
    second_risk = copy.deepcopy(risk_of(document))
    second_risk["id"] = "r-2"
    document["plans"][0]["risks"].append(second_risk)

    assert validate_document(document) == []


def test_it_rejects_repeated_ids_in_every_list() -> None:
    document = example_document()
    document["units"].append({"id": "sn", "name": "Socialnämnden igen", "kind": "committee"})
    document["goals"].append({"id": "1.1"})
    document["plans"][0]["risks"].append({"id": "r-1", "title": "Igen"})
    risk_of(document)["control_activities"].append({"id": "k-1", "title": "Igen"})
    document["audit_reports"][0]["recommendations"].append({"id": "rek-1", "text": "Igen"})
    document["audit_reports"].append({"id": "rev-2022-1", "title": "Igen"})

    assert paths(document) == [
        "units[4].id",
        "goals[1].id",
        "plans[0].risks[0].control_activities[1].id",
        "plans[0].risks[1].id",
        "audit_reports[0].recommendations[1].id",
        "audit_reports[1].id",
    ]
    assert "units[1]" in message_at(document, "units[4].id")


def test_it_rejects_a_parent_that_does_not_exist() -> None:
    document = example_document()
    document["units"][3]["parent"] = "sf-x"

    assert paths(document) == ["units[3].parent"]
    assert "sf-x" in message_at(document, "units[3].parent")


def test_it_rejects_a_cycle_of_parents_once() -> None:
    document = example_document()
    document["units"].extend(
        [
            {"id": "a", "name": "A", "kind": "department", "parent": "b"},
            {"id": "b", "name": "B", "kind": "department", "parent": "a"},
            {"id": "c", "name": "C", "kind": "unit", "parent": "a"},
        ]
    )

    assert paths(document) == ["units[4].parent"]
    assert "a → b → a" in message_at(document, "units[4].parent")


def test_it_rejects_a_unit_that_is_its_own_parent() -> None:
    document = example_document()
    document["units"][0]["parent"] = "ks"

    assert paths(document) == ["units[0].parent"]


def test_it_rejects_references_to_unknown_units_and_goals() -> None:
    document = example_document()
    document["goals"][0]["unit"] = "bn"
    risk_of(document)["unit"] = "sf-bou"
    risk_of(document)["goal"] = "9.9"
    document["audit_reports"][0]["unit"] = "kf"

    assert paths(document) == [
        "goals[0].unit",
        "plans[0].risks[0].unit",
        "plans[0].risks[0].goal",
        "audit_reports[0].unit",
    ]
    assert "9.9" in message_at(document, "plans[0].risks[0].goal")


def test_it_requires_an_id_on_goals() -> None:
    document = example_document()
    document["goals"].append({"unit": "sn", "year": 2025, "title": "Utan id"})

    assert paths(document) == ["goals[1].id"]


# Plans


def test_it_rejects_a_second_plan_for_the_same_unit_and_year() -> None:
    document = example_document()
    document["plans"].append({"unit": "sn", "year": 2025})
    document["plans"].append({"unit": "sn", "year": 2026})

    assert paths(document) == ["plans[1]"]
    assert "2025" in message_at(document, "plans[1]")


def test_it_rejects_a_plan_on_a_unit_that_is_no_committee_or_company() -> None:
    document = example_document()
    document["units"][1]["kind"] = "department"
    document["units"].append({"id": "bolag", "name": "Bostadsbolaget", "kind": "company"})
    document["plans"].append({"unit": "bolag", "year": 2025})

    assert paths(document) == ["plans[0].unit"]
    assert '"sn"' in message_at(document, "plans[0].unit")


def test_it_rejects_a_plan_on_an_unknown_unit() -> None:
    document = example_document()
    document["plans"][0]["unit"] = "bn"

    assert paths(document) == ["plans[0].unit"]


# Dates


def test_it_rejects_dates_that_are_not_in_the_calendar() -> None:
    document = example_document()
    risk_of(document)["actions"][0]["due_date"] = "2025-02-30"
    risk_of(document)["control_activities"][0]["follow_ups"][0]["date"] = "2025-13-01"
    document["audit_reports"][0]["date"] = "2023-04-31"
    document["plans"][0]["adopted_on"] = "2024-02-29"

    assert paths(document) == [
        "plans[0].risks[0].actions[0].due_date",
        "plans[0].risks[0].control_activities[0].follow_ups[0].date",
        "audit_reports[0].date",
    ]
    assert "2025-02-30" in message_at(document, "plans[0].risks[0].actions[0].due_date")


def test_it_rejects_dates_with_digits_other_than_ascii() -> None:
    document = example_document()
    document["plans"][0]["adopted_on"] = "２０２４-12-12"

    assert paths(document) == ["plans[0].adopted_on"]


# Reporting


def test_it_reports_several_problems_in_document_order() -> None:
    document = example_document()
    document["format"] = "internkontroll/0"
    document["organisation"]["periods"][0]["ends"] = "04-31"
    document["units"][2]["parent"] = "socialnämnden"
    risk_of(document)["probability"] = 7
    risk_of(document)["handling"] = ["avoid"]
    risk_of(document)["actions"][0]["follow_ups"][0]["period"] = "T9"
    del risk_of(document)["control_activities"][0]["title"]
    document["audit_reports"][0]["recommendations"][0]["status"] = "klar"

    assert paths(document) == [
        "format",
        "organisation.periods[0].ends",
        "units[2].parent",
        "plans[0].risks[0].probability",
        "plans[0].risks[0].handling[0]",
        "plans[0].risks[0].actions[0].follow_ups[0].period",
        "plans[0].risks[0].control_activities[0].title",
        "audit_reports[0].recommendations[0].status",
    ]


def test_a_problem_reads_as_its_path_and_message() -> None:
    assert str(Problem("plans[0].year", "Fel.")) == "plans[0].year: Fel."


@pytest.mark.parametrize("odd_value", [None, True, 0, -1, 2.5, "", "x", [], [None], {}, {"x": 1}])
def test_it_never_crashes_whatever_a_value_is(odd_value: object) -> None:
    for path in _all_paths(example_document()):
        document = example_document()
        _replace(document, path, odd_value)

        assert all(isinstance(problem, Problem) for problem in validate_document(document))


def _all_paths(node: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    children: list[tuple[str | int, object]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    found = [path] if path else []
    for key, child in children:
        found.extend(_all_paths(child, (*path, key)))
    return found


def _replace(document: Document, path: tuple[str | int, ...], value: object) -> None:
    node: Any = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


# Swedish wording (needs the project's sv catalogue)


def test_messages_are_in_swedish_for_a_swedish_user() -> None:
    document = example_document()
    risk_of(document)["probability"] = 7
    document["units"][3]["parent"] = "x"
    risk_of(document)["actions"].append({"id": "a-1", "title": "Igen"})
    document["organisation"]["colour"] = "blå"

    with translation.override("sv"):
        messages = {problem.path: problem.message for problem in validate_document(document)}
        root = str(Problem("", "Fel."))

    assert messages == {
        "organisation.colour": (
            'Okänd nyckel "colour". Tillåtna nycklar här: name, risk_matrix, periods.'
        ),
        "units[3].parent": 'Enheten "x" finns inte i units.',
        "plans[0].risks[0].probability": "Sannolikheten 7 ligger utanför riskmatrisens skala 1–4.",
        "plans[0].risks[0].actions[1].id": (
            'Id "a-1" förekommer redan i samma lista (även i actions[0]).'
        ),
    }
    assert root == "dokumentet: Fel."


def test_type_and_format_messages_are_in_swedish_for_a_swedish_user() -> None:
    document = example_document()
    document["format"] = "internkontroll/2"
    document["plans"][0]["year"] = "2025"

    with translation.override("sv"):
        messages = [problem.message for problem in validate_document(document)]

    assert messages == [
        'Formatet "internkontroll/2" stöds inte; den här versionen läser "internkontroll/1".',
        'Här ska det vara heltal, inte text ("2025").',
    ]
