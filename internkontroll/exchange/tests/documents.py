"""Small exchange documents for tests, in canonical (exported) form."""

import copy
from typing import Any

from internkontroll.organisation.defaults import DEFAULT_PERIODS, DEFAULT_RISK_MATRIX

_SMALL: dict[str, Any] = {
    "format": "internkontroll/1",
    "organisation": {
        "name": "Provkommun",
        "risk_matrix": DEFAULT_RISK_MATRIX,
        "periods": DEFAULT_PERIODS,
    },
    "units": [
        {"id": "ks", "name": "Kommunstyrelsen", "kind": "committee", "parent": None},
        {"id": "on", "name": "Omsorgsnämnden", "kind": "committee", "parent": None},
        {"id": "of", "name": "Omsorgsförvaltningen", "kind": "administration", "parent": "on"},
        {"id": "of-hem", "name": "Hemtjänsten", "kind": "unit", "parent": "of"},
    ],
    "goals": [{"id": "2.1", "unit": "on", "year": 2025, "title": "Tryggt boende för äldre"}],
    "plans": [
        {
            "unit": "on",
            "year": 2025,
            "adopted_on": "2024-12-10",
            "reference": "ON-2024/88",
            "risks": [
                {
                    "id": "r-1",
                    "title": "Manipulerade besöksregistreringar",
                    "unit": "of-hem",
                    "area": "Risker för oegentligheter",
                    "process": "Planering av hemtjänstinsatser",
                    "goal": "2.1",
                    "description": "Besök kan registreras utan att de har ägt rum.",
                    "consequence_description": "Felaktig debitering och uteblivna insatser.",
                    "existing_controls": "Månatlig avstämning av planerad mot utförd tid.",
                    "probability": 3,
                    "consequence": 3,
                    "target_probability": 2,
                    "target_consequence": 3,
                    "handling": ["mitigate", "review"],
                    "planned_handling": "Rutin för in- och utcheckning och uppföljning.",
                    "actions": [
                        {
                            "id": "a-1",
                            "title": "Ny rutin för in- och utcheckning",
                            "responsible": "Verksamhetschef hemtjänst",
                            "due_date": "2025-10-31",
                            "status": "in_progress",
                            "follow_ups": [
                                {
                                    "period": "T1",
                                    "date": "2025-05-05",
                                    "status": "in_progress",
                                    "on_track": True,
                                    "comment": "Rutinen är skriven och ute på remiss.",
                                }
                            ],
                        },
                        {"id": "a-2", "title": "Utbildning av samordnare", "status": "done"},
                    ],
                    "control_activities": [
                        {
                            "id": "k-1",
                            "title": "Intervjuer med enhetschefer",
                            "method": "interview",
                            "sample": "Sex enhetschefer",
                            "responsible": "Kvalitetsutvecklare",
                            "frequency": "once",
                            "periods": ["T2", "VB"],
                            "follow_ups": [
                                {
                                    "period": "T2",
                                    "date": "2025-09-10",
                                    "result": "deviation",
                                    "comment": "Två enheter följer inte rutinen.",
                                }
                            ],
                        }
                    ],
                    "follow_ups": [
                        {
                            "period": "T2",
                            "date": "2025-09-10",
                            "on_track": False,
                            "comment": "Försenat av sjukskrivningar.",
                        }
                    ],
                },
                {"id": "r-2", "title": "Bristande informationsöverföring"},
            ],
            "assessment": {
                "verdict": "partly_sufficient",
                "decided_on": "2026-02-18",
                "analysis": "Kontrollen fungerar men avvikelser kvarstår.",
            },
        }
    ],
    "audit_reports": [
        {
            "id": "rev-1",
            "unit": "on",
            "title": "Granskning av hemtjänstens planering",
            "auditor": "Kommunens revisorer",
            "date": "2025-03-14",
            "recommendations": [
                {
                    "id": "rek-1",
                    "text": "Säkerställ att utförd tid kontrolleras.",
                    "response": "Nämnden inför månatlig kontroll.",
                    "status": "in_progress",
                    "follow_ups": [
                        {
                            "date": "2025-11-20",
                            "status": "in_progress",
                            "comment": "Kontrollen är införd i två av fyra områden.",
                        }
                    ],
                }
            ],
        }
    ],
}


def small_document() -> dict[str, Any]:
    """A fresh copy of a small but complete valid document."""
    return copy.deepcopy(_SMALL)
