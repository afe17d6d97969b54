"""What a nomination holds to, whichever path writes it."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from internkontroll.nominations.models import Nomination
from internkontroll.nominations.tests.helpers import TODAY, NominationTestCase, nominate


@time_machine.travel(TODAY, tick=False)
class NominationRuleTests(NominationTestCase):
    def test_the_unit_must_lie_below_the_plans_committee(self) -> None:
        nomination = nominate(self.sf_vux, self.responsible, self.sn_next)
        nomination.unit = self.bf
        with pytest.raises(ValidationError) as error:
            nomination.full_clean()
        assert "unit" in error.value.message_dict

    def test_a_returned_proposal_says_why(self) -> None:
        nomination = nominate(self.sf_vux, self.responsible, self.sn_next)
        nomination.status = Nomination.Status.RETURNED
        nomination.decided_by, nomination.decided_at = self.coordinator, timezone.now()
        with pytest.raises(ValidationError) as error:
            nomination.full_clean()
        assert "decision_comment" in error.value.message_dict

    def test_an_accepted_proposal_names_its_risk(self) -> None:
        nomination = nominate(self.sf_vux, self.responsible, self.sn_next)
        nomination.status = Nomination.Status.ACCEPTED
        nomination.decided_by, nomination.decided_at = self.coordinator, timezone.now()
        with pytest.raises(ValidationError) as error:
            nomination.full_clean()
        assert "risk" in error.value.message_dict

    def test_the_database_refuses_a_second_open_proposal_of_a_risk_for_a_plan(self) -> None:
        nominate(self.sf_vux, self.responsible, self.sn_next, source_risk=self.sn_risk)
        with pytest.raises(IntegrityError):
            nominate(self.sf_vux, self.responsible, self.sn_next, source_risk=self.sn_risk)

    def test_a_returned_risk_may_be_proposed_again(self) -> None:
        nominate(
            self.sf_vux, self.responsible, self.sn_next, source_risk=self.sn_risk, status="returned"
        )
        again = nominate(self.sf_vux, self.responsible, self.sn_next, source_risk=self.sn_risk)
        again.full_clean()

    def test_a_decision_without_its_version_is_refused(self) -> None:
        nomination = nominate(self.sf_vux, self.responsible, self.sn_next)
        self.client.force_login(self.coordinator)
        response = self.client.post(reverse("nominations:accept", args=[nomination.pk]))
        assert response.status_code == 422
        assert "Formuläret saknar versionen" in response.content.decode()
        nomination.refresh_from_db()
        assert nomination.status == "proposed"
