"""IK_LOG_FORMAT=json: one JSON object per line, with what a log collector needs."""

from __future__ import annotations

import json
import logging

from django.test import RequestFactory, SimpleTestCase

from internkontroll.lib.logs import JsonFormatter


def formatted(record: logging.LogRecord) -> dict[str, object]:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


class JsonLogTests(SimpleTestCase):
    def record(self, **extra: object) -> logging.LogRecord:
        return logging.makeLogRecord(
            {
                "name": "internkontroll.jobs",
                "levelno": logging.ERROR,
                "levelname": "ERROR",
                "msg": "Rapport %s misslyckades",
                "args": ("ö-1",),
                "created": 1757498400.0,
                **extra,
            }
        )

    def test_a_record_becomes_one_line_with_time_level_logger_and_message(self) -> None:
        assert formatted(self.record(status_code=500)) == {
            "time": "2025-09-10T10:00:00+00:00",
            "level": "ERROR",
            "logger": "internkontroll.jobs",
            "message": "Rapport ö-1 misslyckades",
            "status_code": 500,
        }

    def test_an_exception_comes_with_its_traceback(self) -> None:
        try:
            raise ValueError("trasig")
        except ValueError:
            import sys

            entry = formatted(self.record(exc_info=sys.exc_info()))
        assert "ValueError: trasig" in str(entry["exception"])

    def test_a_request_is_told_by_method_and_path_without_its_query(self) -> None:
        request = RequestFactory().get("/sok/", {"q": "hemligt"})
        entry = formatted(self.record(request=request))
        assert (entry["method"], entry["path"]) == ("GET", "/sok/")
        assert "hemligt" not in json.dumps(entry)
