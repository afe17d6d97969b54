import pytest
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase

from internkontroll.organisation.defaults import DEFAULT_RISK_MATRIX
from internkontroll.organisation.models import Organisation, RiskMatrix, matrix_errors
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Risk
from internkontroll.test import make_organisation, make_plan, make_risk, make_unit

FIVE_BY_FIVE = {
    "probability": ["Mycket osannolik", "Osannolik", "Möjlig", "Sannolik", "Mycket sannolik"],
    "consequence": ["Obetydlig", "Liten", "Måttlig", "Stor", "Mycket stor"],
    "levels": [
        {"name": "Låg", "min_score": 1, "color": "#2e7d32"},
        {"name": "Medel", "min_score": 5, "color": "#f9a825"},
        {"name": "Hög", "min_score": 10, "color": "#ef6c00"},
        {"name": "Kritisk", "min_score": 16, "color": "#c62828"},
    ],
}

# A cell map that does not follow the score bands: consequence weighs more than probability.
CELL_MAPPED = {
    **DEFAULT_RISK_MATRIX,
    "cells": [
        ["Låg", "Låg", "Medel", "Hög"],
        ["Låg", "Medel", "Hög", "Kritisk"],
        ["Medel", "Medel", "Hög", "Kritisk"],
        ["Medel", "Hög", "Kritisk", "Kritisk"],
    ],
}


def matrix(document: dict) -> RiskMatrix:
    return RiskMatrix(**RiskMatrix.fields_from_document(document))


def level_grid(m: RiskMatrix) -> list[list[str]]:
    return [
        [m.level_for(p, c).name for c in range(1, m.consequence_size + 1)]
        for p in range(1, m.probability_size + 1)
    ]


class ScoreBandTests(SimpleTestCase):
    def test_the_default_four_by_four_matrix_levels_every_cell_by_its_score(self) -> None:
        assert level_grid(matrix(DEFAULT_RISK_MATRIX)) == [
            ["Låg", "Låg", "Låg", "Medel"],
            ["Låg", "Medel", "Hög", "Hög"],
            ["Låg", "Hög", "Kritisk", "Kritisk"],
            ["Medel", "Hög", "Kritisk", "Kritisk"],
        ]

    def test_a_five_by_five_matrix_uses_its_own_bands(self) -> None:
        m = matrix(FIVE_BY_FIVE)
        assert m.level_for(1, 4).name == "Låg"
        assert m.level_for(1, 5).name == "Medel"
        assert m.level_for(2, 5).name == "Hög"
        assert m.level_for(4, 4).name == "Kritisk"
        assert m.level_for(5, 5).name == "Kritisk"
        assert m.level_for(3, 3).name == "Medel"

    def test_the_level_is_the_last_whose_lowest_score_is_reached(self) -> None:
        m = matrix(DEFAULT_RISK_MATRIX)
        assert m.level_for(2, 2).name == "Medel"  # 4: exactly the threshold
        assert m.level_for(1, 3).name == "Låg"  # 3: just below
        assert m.level_for(3, 3).rank == 3

    def test_a_cell_map_decides_the_level_whatever_the_score(self) -> None:
        m = matrix(CELL_MAPPED)
        assert level_grid(m) == CELL_MAPPED["cells"]
        assert m.level_for(2, 4).name == "Kritisk"  # score 8 would be Hög by the bands
        assert m.level_for(4, 1).name == "Medel"  # score 4

    def test_a_cell_outside_the_matrix_is_refused(self) -> None:
        with pytest.raises(ValueError):
            matrix(DEFAULT_RISK_MATRIX).level_for(5, 1)
        with pytest.raises(ValueError):
            matrix(DEFAULT_RISK_MATRIX).level_for(1, 0)


class MatrixShapeTests(SimpleTestCase):
    def test_three_by_three_to_six_by_six_are_allowed(self) -> None:
        for size in (3, 4, 5, 6):
            with self.subTest(size=size):
                labels = [f"Steg {n}" for n in range(size)]
                document = {**DEFAULT_RISK_MATRIX, "probability": labels, "consequence": labels}
                assert matrix_errors(document) == []

    def test_two_or_seven_steps_are_refused(self) -> None:
        for size in (2, 7):
            labels = [f"Steg {n}" for n in range(size)]
            assert matrix_errors({**DEFAULT_RISK_MATRIX, "probability": labels})

    def test_levels_must_rise_from_one(self) -> None:
        levels = [dict(level) for level in DEFAULT_RISK_MATRIX["levels"]]
        levels[2]["min_score"] = 4
        assert matrix_errors({**DEFAULT_RISK_MATRIX, "levels": levels})
        levels = [dict(level) for level in DEFAULT_RISK_MATRIX["levels"]]
        levels[0]["min_score"] = 2
        assert matrix_errors({**DEFAULT_RISK_MATRIX, "levels": levels})

    def test_a_cell_map_must_fit_and_name_known_levels(self) -> None:
        short = {**CELL_MAPPED, "cells": CELL_MAPPED["cells"][:3]}
        unknown = {
            **CELL_MAPPED,
            "cells": [*CELL_MAPPED["cells"][:3], ["Låg", "Låg", "Låg", "Röd"]],
        }
        assert matrix_errors(short)
        assert matrix_errors(unknown)
        with pytest.raises(ValidationError):
            matrix(unknown).clean()


class MatrixPerYearTests(TestCase):
    def test_changing_the_matrix_for_next_year_leaves_last_years_levels_as_they_were(self) -> None:
        organisation = make_organisation("Matriskommun")
        committee = make_unit(organisation, "n", "committee")
        plan_2025 = make_plan(committee, 2025)
        risk_2025 = make_risk(plan_2025, "r", probability=2, consequence=3)
        assert risk_2025.level.name == "Hög"

        organisation.risk_matrix = RiskMatrix.objects.create(
            organisation=organisation, **RiskMatrix.fields_from_document(FIVE_BY_FIVE)
        )
        organisation.save(update_fields=["risk_matrix"])
        plan_2026 = make_plan(committee, 2026)
        risk_2026 = make_risk(plan_2026, "r", probability=2, consequence=3)

        risk_2025 = Risk.objects.get(pk=risk_2025.pk)
        assert risk_2025.level.name == "Hög"
        assert risk_2025.score == 6
        assert risk_2026.level.name == "Medel"
        assert ControlPlan.objects.get(pk=plan_2025.pk).risk_matrix.probability_size == 4

    def test_the_organisation_gets_the_default_matrix_when_it_has_none(self) -> None:
        organisation = Organisation.objects.create(name="Ny kommun")
        assert organisation.current_risk_matrix().as_document() == DEFAULT_RISK_MATRIX
        assert organisation.current_risk_matrix().pk == organisation.risk_matrix_id


class MatrixIntegrityTests(TestCase):
    def test_a_matrix_in_use_by_a_plan_cannot_be_edited(self) -> None:
        organisation = make_organisation("Låst kommun")
        used = organisation.current_risk_matrix()
        make_plan(make_unit(organisation, "n", "committee"))
        used.levels[0]["name"] = "Grön"
        with pytest.raises(ValidationError):
            used.full_clean()

    def test_an_unused_matrix_can_be_edited(self) -> None:
        organisation = make_organisation("Fri kommun")
        matrix = organisation.current_risk_matrix()
        matrix.levels[0]["name"] = "Grön"
        matrix.full_clean()

    def test_an_organisation_cannot_use_another_organisations_matrix(self) -> None:
        first, second = make_organisation("Ett"), make_organisation("Två")
        first.risk_matrix = second.current_risk_matrix()
        with pytest.raises(ValidationError):
            first.full_clean()


class PeriodTests(TestCase):
    def test_a_day_falls_in_the_first_period_that_ends_on_or_after_it(self) -> None:
        import datetime

        organisation = make_organisation("Periodkommun")
        codes = {
            datetime.date(2026, 1, 1): "T1",
            datetime.date(2026, 4, 30): "T1",
            datetime.date(2026, 5, 1): "T2",
            datetime.date(2026, 11, 23): "VB",
            datetime.date(2026, 12, 31): "VB",
        }
        for day, code in codes.items():
            assert organisation.period_on(day).code == code, day

    def test_a_period_ending_on_leap_day_ends_on_the_28th_in_other_years(self) -> None:
        import datetime

        organisation = make_organisation("Skottkommun")
        period = organisation.periods.get(code="T1")
        period.ends_month, period.ends_day = 2, 29
        assert period.end_date(2025) == datetime.date(2025, 2, 28)
        assert period.end_date(2024) == datetime.date(2024, 2, 29)
