"""What the tests of the shared process and risk-area views need to know about each kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from internkontroll.organisation.models import Process, RiskArea
from internkontroll.test import BaseTestCase

if TYPE_CHECKING:
    Cases = BaseTestCase
else:
    Cases = object  # the cases run only in the TestCase classes that mix them in


@dataclass(frozen=True)
class Kind:
    model: type[Process] | type[RiskArea]
    url_prefix: str
    new_title: str
    edit_title: str
    one: str  # "en process", as in the Swedish refusal of a name already taken

    def url_name(self, view: str) -> str:
        return f"organisation:{self.url_prefix}_{view}"

    def duplicate_message(self, name: str) -> str:
        return f"Det finns redan {self.one} som heter ”{name}” i organisationen."


PROCESS = Kind(Process, "process", "Ny process", "Ändra process", "en process")
RISK_AREA = Kind(RiskArea, "risk_area", "Nytt riskområde", "Ändra riskområde", "ett riskområde")
