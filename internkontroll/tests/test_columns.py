"""The ORM's columns keep Django's identity when it is computed without `inspect`."""

from django.apps import apps
from django.db import connection
from django.db.models import CharField, Expression
from django.db.models.expressions import Col
from django.test import SimpleTestCase

from internkontroll.lib.columns import column_identity

djangos_identity = Expression.identity.func  # type: ignore[attr-defined]


def selected_columns(model: type) -> list[Col]:
    """The columns a query of the model selects, with every related row it can join."""
    related = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.many_to_one
    ]
    query = model._default_manager.select_related(*related).order_by("pk").query
    compiler = query.get_compiler(connection=connection)
    compiler.setup_query()
    selected = [expression for expression, _sql, _alias in compiler.select]
    return [expression for expression in selected if isinstance(expression, Col)]


class ColumnIdentityTests(SimpleTestCase):
    def test_the_direct_identity_is_installed(self) -> None:
        assert Col.__dict__["identity"].func is column_identity

    def test_every_models_columns_have_djangos_identity(self) -> None:
        count = 0
        for model in apps.get_models():
            for column in selected_columns(model):
                with self.subTest(model=model._meta.label, column=repr(column)):
                    assert column_identity(column) == djangos_identity(column)
                    count += 1
        assert count > 500  # every app's models, with their related rows

    def test_however_a_column_was_made(self) -> None:
        field = apps.get_model("risks", "Risk")._meta.get_field("title")
        other = CharField()
        made = [
            Col("risks_risk", field),
            Col("risks_risk", field, field),
            Col("risks_risk", field, output_field=other),
            Col(None, field),
            Col("T3", field).relabeled_clone({"T3": "T4"}),
        ]
        for column in made:
            with self.subTest(column=repr(column)):
                assert column_identity(column) == djangos_identity(column)

    def test_columns_compare_as_before(self) -> None:
        field = apps.get_model("risks", "Risk")._meta.get_field("title")
        assert Col("a", field) == Col("a", field)
        assert hash(Col("a", field)) == hash(Col("a", field))
        assert Col("a", field) != Col("b", field)
        # Made with and without an output field, as Django's identity tells them apart.
        assert Col("a", field) != Col("a", field, field)
        assert len({Col("a", field), Col("a", field), Col("b", field)}) == 2
