"""The settings an organisation gets when it names none of its own (docs/exchange-format.md)."""

from typing import Any

DEFAULT_RISK_MATRIX: dict[str, Any] = {
    "probability": ["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"],
    "consequence": ["Försumbar", "Lindrig", "Kännbar", "Allvarlig"],
    "levels": [
        {"name": "Låg", "min_score": 1, "color": "#2e7d32"},
        {"name": "Medel", "min_score": 4, "color": "#f9a825"},
        {"name": "Hög", "min_score": 6, "color": "#ef6c00"},
        {"name": "Kritisk", "min_score": 9, "color": "#c62828"},
    ],
}

DEFAULT_PERIODS: list[dict[str, str]] = [
    {"code": "T1", "name": "Tertialrapport 1", "ends": "04-30"},
    {"code": "T2", "name": "Tertialrapport 2", "ends": "08-31"},
    {"code": "VB", "name": "Verksamhetsberättelse", "ends": "12-31"},
]

MIN_SCALE = 3
MAX_SCALE = 6
