import datetime

import time_machine

from internkontroll.accounts.models import ScopeStamp
from internkontroll.organisation.models import Organisation
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase


class HistoryTests(BaseTestCase):
    def test_every_domain_model_keeps_history(self) -> None:
        from django.apps import apps

        domain_apps = {
            "accounts",
            "organisation",
            "plans",
            "risks",
            "controls",
            "followups",
            "audits",
        }
        # The scope stamp is the database's own bookkeeping, changed by triggers only.
        for model in apps.get_models():
            if model is ScopeStamp:
                continue
            if model._meta.app_label in domain_apps and not model.__name__.startswith("Historical"):
                with self.subTest(model=model.__name__):
                    assert hasattr(model, "history"), model.__name__

    @time_machine.travel(datetime.datetime(2025, 9, 5, 14, 2, tzinfo=datetime.UTC), tick=False)
    def test_a_change_records_who_when_and_before_and_after(self) -> None:
        action = Action.objects.get(pk=self.sn_action.pk)
        action.status = "done"
        action._history_user = self.coordinator  # type: ignore[attr-defined]
        action.save(update_fields=["status"])

        newest, previous = action.history.order_by("-history_id")[:2]
        assert newest.history_user == self.coordinator
        assert newest.history_date == datetime.datetime(2025, 9, 5, 14, 2, tzinfo=datetime.UTC)
        assert newest.history_type == "~"
        delta = newest.diff_against(previous)
        assert [(c.field, c.old, c.new) for c in delta.changes] == [
            ("status", "in_progress", "done")
        ]

    def test_the_state_on_an_earlier_date_can_be_read_back(self) -> None:
        with time_machine.travel(datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)):
            action = Action.objects.create(
                risk=self.sn_risk, external_id="a-h", title="X", status="in_progress"
            )
        with time_machine.travel(datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC)):
            action.status = "done"
            action.save(update_fields=["status"])
        as_of = Action.history.as_of(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
        assert as_of.get(pk=action.pk).status == "in_progress"
        assert (
            Action.history.as_of(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
            .filter(pk=action.pk)
            .count()
            == 0
        )

    def test_deleting_keeps_the_record_of_what_was_there(self) -> None:
        organisation = Organisation.objects.create(name="Kortlivad kommun")
        organisation.delete()
        assert Organisation.history.filter(name="Kortlivad kommun", history_type="-").exists()
