"""No page, command or API call can edit or delete the recorded history.

The walk sends POST, PUT, PATCH and DELETE with plausible data to every URL pattern of the
project, as every persona and as a superuser (last, since the admin deletes things), and then
checks that every history row that existed is still there, unchanged. New rows from intended
writes are allowed: history only grows.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import translation
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

import internkontroll
from internkontroll.accounts.models import User
from internkontroll.jobs.models import ReportJob
from internkontroll.risks.models import Risk
from internkontroll.test import PASSWORD, BaseTestCase

# The persons who act in the walk; the superuser comes last because the admin deletes.
PERSONAS = ("outsider", "reader", "auditor", "responsible", "coordinator", "admin", "superuser")
METHODS = ("post", "put", "patch", "delete")


def history_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]


def snapshot() -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Every row of every history table, by its own primary key (history_id)."""
    return {model._meta.label: _rows(model) for model in history_models()}


def _rows(model: type[models.Model]) -> dict[Any, tuple[Any, ...]]:
    columns = [field.attname for field in model._meta.concrete_fields]
    rows = model._default_manager.values_list(model._meta.pk.attname, *columns)
    return {row[0]: row for row in rows}


def altered(before: dict[str, dict[Any, tuple[Any, ...]]]) -> list[str]:
    """Rows of `before` that are now missing or different."""
    now = snapshot()
    return [
        f"{label} {pk}: {row} → {now[label].get(pk)}"
        for label, rows in before.items()
        for pk, row in rows.items()
        if now[label].get(pk) != row
    ]


def patterns(
    resolver: URLResolver | None = None, namespace: str = "", params: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...], int]]:
    """(namespaced name, named parameters, count of unnamed groups) of every URL pattern."""
    for entry in (resolver or get_resolver()).url_patterns:
        names, unnamed = _parameters(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, inner, params + names)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", params + names, unnamed


def _parameters(pattern: Any) -> tuple[tuple[str, ...], int]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters), 0
    assert isinstance(pattern, RegexPattern)
    named = tuple(pattern.regex.groupindex)
    return named, pattern.regex.groups - len(named)


class NoEndpointAltersHistoryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.superuser = User.objects.create_superuser("systemforvaltare", password=PASSWORD)
        # Every persona has recorded history, so that losing "who" would show.
        for persona in PERSONAS:
            for obj in (cls.sn_risk, cls.sn_action, cls.sn_plan, cls.sn_recommendation):
                obj._history_user = getattr(cls, persona)  # type: ignore[attr-defined]
                obj.save()

    def objects_for(self, name: str) -> list[models.Model]:
        """The objects whose ids fill a URL pattern's parameters."""
        app_urls = {
            "followups:report_action": self.sn_action,
            "followups:report_control_activity": self.sn_activity,
            "risks:action_edit": self.sn_action,
            "controls:edit": self.sn_activity,
            "audits:recommendation_edit": self.sn_recommendation,
            "audits:recommendation_follow_up": self.sn_recommendation,
            "organisation:unit_edit": self.sf_vux,
        }
        if name in app_urls:
            return [app_urls[name]]
        app, _, view = name.partition(":")
        if app == "admin" and view.count("_") >= 2:
            for model in admin.site._registry:
                prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
                if view.startswith(prefix):
                    # An empty table still gets its URLs visited, with an id that is not there.
                    return list(model._default_manager.order_by("pk")[:1]) or [model(pk=1)]
        by_app = {
            "risks": self.sn_risk,
            "controls": self.sn_risk,
            "plans": self.sn_plan,
            "audits": self.sn_report,
            "reports": self.sn_plan,
            "followups": self.sn_follow_up,
            "jobs": ReportJob(),  # a report job no one asked for: its pages answer 404
        }
        return [by_app.get(app, self.sn_risk)]

    def urls(self) -> Iterator[tuple[str, list[Any]]]:
        """Every pattern made concrete, with the ids to select for the admin's bulk delete."""
        for name, params, unnamed in patterns():
            if not name.rpartition(":")[2]:
                continue  # the admin's unnamed catch-all redirects
            for obj in self.objects_for(name):
                values = {param: self.value(param, obj) for param in params}
                args = [obj.pk, self.version_of(obj)][:unnamed]
                try:
                    url = reverse(name, args=args) if unnamed else reverse(name, kwargs=values)
                except Exception:  # a parameter we cannot fill fails the test by its name
                    pytest.fail(f"cannot build a URL for {name} {params}")
                yield url, [obj.pk]

    def value(self, param: str, obj: models.Model) -> Any:
        fixed = {"app_label": "risks", "kind": "plan", "uidb64": "MQ", "token": "x-y"}
        if param == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            return ContentType.objects.get_for_model(obj).pk
        return fixed.get(param, obj.pk)

    def version_of(self, obj: models.Model) -> Any:
        history = getattr(type(obj), "history", None)
        if history is None:
            return 1
        oldest = history.filter(id=obj.pk).order_by("history_id").first()
        return oldest.history_id if oldest else 1

    def payload(self, selected: list[Any]) -> dict[str, Any]:
        return {
            "title": "Ändrad av genomgången",
            "text": "Ändrad",
            "name": "Ändrad",
            "status": "done",
            "verdict": "insufficient",
            "result": "deviation",
            "comment": "Ändrad",
            "analysis": "Ändrad",
            "response": "Ändrad",
            "date": "2025-09-05",
            "adopted_on": "2025-08-28",
            "reference": "SN-2025/999",
            "cell": "2-3",
            "version": "1",
            "period": self.organisation.periods.first().pk,  # type: ignore[union-attr]
            "on_track": "yes",
            "external_id": "x-1",
            "kind": "unit",
            "post": "yes",
            "action": "delete_selected",
            "_selected_action": selected,
            "language": "en",
            "next": "/",
        }

    def test_no_request_to_any_url_alters_or_removes_recorded_history(self) -> None:
        before = snapshot()
        assert sum(len(rows) for rows in before.values()) > 40
        urls = list(self.urls())
        assert len(urls) == len([name for name, *_ in patterns() if name.rpartition(":")[2]])
        self.client.raise_request_exception = False  # a crash is not our question here
        logouts = {reverse("accounts:logout"), reverse("admin:logout")}
        for persona in (None, *PERSONAS):
            logged_in = False
            for url, selected in urls:
                if url.startswith("/admin/") and persona != "superuser":
                    continue  # nobody but staff reaches the admin (tests/test_admin.py)
                if url in self.user_deletion_urls():
                    continue  # see test_deleting_a_person_keeps_who_did_what below
                data = self.payload(selected)
                # Other methods are refused before the persona matters; try them once per kind.
                methods = METHODS if persona in (None, "coordinator", "superuser") else ("post",)
                for method in methods:
                    if persona is not None and (url in logouts or not logged_in):
                        self.client.force_login(getattr(self, persona))
                        logged_in = True
                    self.send(method, url, data)
            assert altered(before) == [], persona
        # The walk had teeth: it changed and deleted things, and history only grew.
        deletions = Risk.history.filter(history_type="-").values_list("id", flat=True)
        assert self.sn_risk.pk in set(deletions)
        assert sum(map(len, snapshot().values())) > sum(map(len, before.values()))

    def user_deletion_urls(self) -> set[str]:
        users = User.objects.order_by("pk").first()
        return {
            reverse("admin:accounts_user_delete", args=[users.pk]),  # type: ignore[union-attr]
            reverse("admin:accounts_user_changelist"),
        }

    def test_deleting_a_person_keeps_who_did_what(self) -> None:
        before = snapshot()
        self.client.force_login(self.superuser)
        url = reverse("admin:accounts_user_delete", args=[self.coordinator.pk])
        self.client.post(url, {"post": "yes"})
        assert altered(before) == []

    def send(self, method: str, url: str, data: dict[str, Any]) -> None:
        if method == "post":
            self.client.post(url, data)
        else:
            body = urlencode(data, doseq=True)
            getattr(self.client, method)(
                url, body, content_type="application/x-www-form-urlencoded"
            )


class AdminShowsHistoryReadOnlyTests(BaseTestCase):
    def test_no_history_table_is_in_the_admin(self) -> None:
        assert not [model for model in admin.site._registry if issubclass(model, HistoricalChanges)]

    def test_the_admin_never_offers_to_revert_to_an_old_version(self) -> None:
        assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
        assert getattr(settings, "SIMPLE_HISTORY_EDIT", False) is False
        for model, model_admin in admin.site._registry.items():
            if isinstance(model_admin, SimpleHistoryAdmin):
                with self.subTest(model=model.__name__):
                    assert model_admin.revert_disabled(None) is True


class NoCommandDeletesHistoryTests(BaseTestCase):
    def test_the_commands_that_would_delete_history_are_refused(self) -> None:
        before = snapshot()
        for name in ("clean_old_history", "clean_duplicate_history"):
            with self.subTest(command=name):
                assert get_commands()[name] == "internkontroll.trail"
                with translation.override("en"), pytest.raises(CommandError, match="never deleted"):
                    call_command(name, "--auto", "--days", "0")
        assert altered(before) == []


def _python_files() -> Iterator[Path]:
    root = Path(internkontroll.__file__).parent
    for path in sorted(root.rglob("*.py")):
        parts = set(path.relative_to(root).parts)
        if not parts & {"migrations", "tests"} and path.name not in {"test.py", "conftest.py"}:
            yield path


HISTORY_CLASS_NAMES = {model.__name__ for model in history_models()}
WRITES = {"delete", "update", "create", "bulk_create", "bulk_update", "save", "get_or_create"}


def _writes_history(tree: ast.AST) -> list[str]:
    """Calls such as `x.history.filter(...).delete()` or `HistoricalRisk.objects.create()`."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
            and _mentions_history(node.func.value)
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}()")
        names = {
            ast.Name: lambda n: [n.id],
            ast.Attribute: lambda n: [n.attr],
            ast.ImportFrom: lambda n: [alias.name for alias in n.names],
        }.get(type(node), lambda n: [])(node)
        for name in names:
            if name in HISTORY_CLASS_NAMES:
                found.append(f"line {node.lineno}: {name}")
    return found


def _mentions_history(node: ast.AST) -> bool:
    return any(
        isinstance(inner, ast.Attribute)
        and inner.attr in {"history", "bulk_history_create", "history_object"}
        for inner in ast.walk(node)
    )


class NoCodeWritesHistoryTests(BaseTestCase):
    def test_no_module_names_or_writes_a_history_table(self) -> None:
        offences = {}
        for path in _python_files():
            found = _writes_history(ast.parse(path.read_text(encoding="utf-8")))
            if found:
                offences[str(path)] = found
        assert offences == {}

    def test_the_check_would_see_a_write(self) -> None:
        assert _writes_history(ast.parse("risk.history.filter(id=1).delete()"))
        assert _writes_history(ast.parse("from x import HistoricalRisk"))
        assert not _writes_history(ast.parse("Risk.history.filter(history_date__lte=day)"))
