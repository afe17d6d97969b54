"""What a card holds stays inside it, however long its texts and words."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from internkontroll.plans.models import ControlPlan

# The right edge of every term and value of a card's facts beyond the card's own, by text.
OVERFLOWING = """() => [...document.querySelectorAll('.card')].flatMap(card => {
    const edge = card.getBoundingClientRect().right;
    return [...card.querySelectorAll('dt, dd')]
        .filter(cell => cell.getBoundingClientRect().right > edge + 0.5)
        .map(cell => cell.textContent.trim().slice(0, 40));
})"""


def test_a_long_assessment_stays_inside_its_card_beside_the_adoption(page_as: Any) -> None:
    plan = (
        ControlPlan.objects.filter(unit__external_id="sn", assessment__isnull=False)
        .order_by("year")
        .first()
    )
    assert plan is not None and len(plan.assessment.analysis) > 300, "the demo data has changed"
    page = page_as("samordnare")
    for width in (1280, 1024, 800):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(reverse("plans:detail", args=[plan.pk]))
        assert page.evaluate(OVERFLOWING) == [], width
