"""A cap on the size of a request body, checked before anything reads or spools the body.

Django reads exactly CONTENT_LENGTH bytes of a WSGI request (and none without one), so a
chunked body without a length is never read at all; the declared length is all there is to check.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.IK_MAX_REQUEST_BYTES
        if declared_length(request) > limit:
            return render(request, "413.html", {"max_bytes": limit}, status=413)
        return self.get_response(request)


def declared_length(request: HttpRequest) -> int:
    """The body's length as the client declared it; 0 where Django would read nothing."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
