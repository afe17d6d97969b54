"""The stored Swedish text vectors behind search on PostgreSQL: current after every kind of
write, equal to what the search computed before it had them, and found through their index."""

from __future__ import annotations

import unittest

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import BooleanField, Func
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.audits.models import AuditReport
from internkontroll.exchange.importer import import_document
from internkontroll.exchange.tests.documents import small_document
from internkontroll.organisation.models import Organisation
from internkontroll.risks.models import Risk
from internkontroll.search.queries import KINDS, StoredVector, matching, search
from internkontroll.test import BaseTestCase, make_user

postgresql_only = unittest.skipUnless(
    connection.vendor == "postgresql", "Only PostgreSQL stores text vectors."
)


# The kinds with a stored vector; the others match their text as written.
FULL_TEXT_KINDS = [kind for kind in KINDS if kind.full_text]


def _found(user: object, text: str, kind: str = "risk") -> list[str]:
    return [hit.title for hit in search(user, text, kind)[0].hits]


class VectorWriteTests(BaseTestCase):
    """On SQLite these pass by matching the text; on PostgreSQL only a current vector passes."""

    def test_an_edit_through_the_form_replaces_the_old_words(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("risks:edit", args=[self.sn_risk.pk])
        response = self.client.post(
            url, {"title": "Dubbla fakturor", "cell": "3-3", "version": 1, "handling": "accept"}
        )
        assert response.status_code == 302
        assert _found(self.coordinator, "fakturor") == ["Dubbla fakturor"]
        assert _found(self.coordinator, "utbetalningar") == []

    def test_an_import_writes_and_rewrites_the_vectors(self) -> None:
        import_document(small_document())
        organisation = Organisation.objects.get(name="Provkommun")
        reader = make_user("provlasare", organisation, [(Role.READER, None)])
        assert _found(reader, "besöksregistreringar") == ["Manipulerade besöksregistreringar"]
        changed = small_document()
        changed["plans"][0]["risks"][0]["title"] = "Felregistrerade hembesök"
        import_document(changed)
        assert _found(reader, "hembesök") == ["Felregistrerade hembesök"]
        assert _found(reader, "besöksregistreringar") == []

    def test_a_new_report_title_reaches_its_recommendations(self) -> None:
        AuditReport.objects.filter(pk=self.sn_report.pk).update(title="Granskning av bisysslor")
        found = _found(self.coordinator, "bisysslor", "recommendation")
        assert found == ["Upprätta en lokal anvisning."]
        assert _found(self.coordinator, "resor", "recommendation") == []

    def test_rows_created_in_bulk_are_found(self) -> None:
        Risk.objects.bulk_create(
            Risk(plan=self.sn_plan, external_id=f"b-{n}", title=f"Bidrag {n}", description="Jäv")
            for n in range(3)
        )
        assert len(_found(self.coordinator, "jäv")) == 3


@postgresql_only
class StoredVectorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for kind in FULL_TEXT_KINDS:
            for obj in kind.queryset(cls.admin):
                fields = [f for f in kind.fields if "__" not in f]
                type(obj).objects.filter(pk=obj.pk).update(
                    **{field: f"Ord{n} i fältet {field}" for n, field in enumerate(fields)}
                )

    def test_the_stored_vector_is_what_search_computed_from_the_fields(self) -> None:
        for kind in FULL_TEXT_KINDS:
            title, *rest = kind.fields
            computed = SearchVector(title, config="swedish", weight="A") + SearchVector(
                *rest, config="swedish", weight="B"
            )
            same = Func(
                StoredVector(),
                computed,
                template="%(expressions)s",
                arg_joiner=" IS NOT DISTINCT FROM ",
                output_field=BooleanField(),
            )
            rows = kind.queryset(self.admin).annotate(same=same)
            assert rows.exists(), kind.name
            assert not rows.filter(same=False).exists(), kind.name

    def test_rows_copied_in_get_a_vector(self) -> None:
        columns = "risk_id, external_id, title, description, responsible, status, version"
        sql = f"COPY risks_action ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write_row((self.sn_risk.pk, "c-1", "Kopierad", "Avstämning", "", "done", 1))
        assert _found(self.coordinator, "avstämning", "action") == ["Kopierad"]

    def test_the_search_finds_rows_through_the_gin_index(self) -> None:
        risks = [
            Risk(plan=self.bn_plan, external_id=f"m-{n}", title=f"Risk {n} i verksamheten")
            for n in range(3000)
        ]
        risks[1234].title = "Mutor vid upphandling"
        Risk.objects.bulk_create(risks)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE risks_risk")
            # Only a bitmap scan is left to the planner, so the one index that can answer the
            # match alone must be usable (the reader's scope, with indexes of its own, is left
            # out of the plan for that reason and checked by the search below).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        plan = matching(Risk.objects.all(), KINDS[0].fields, "mutor").explain()
        assert "Bitmap Index Scan on risks_risk_search_vector_gin" in plan
        assert _found(self.reader, "mutor") == ["Mutor vid upphandling"]
