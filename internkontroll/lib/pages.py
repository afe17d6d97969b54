"""Long lists shown a page at a time, with a pager that keeps the rest of the query string."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict
from django.utils.formats import number_format

PER_PAGE = 50


@dataclass(frozen=True)
class PageLink:
    """A numbered link of the pager; `number` None is the gap (…) between far-apart pages."""

    number: int | None
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pager:
    """One page of a list and what the pager template needs to link its neighbours.

    `target` names the region htmx swaps with the answer (empty: plain links only); every
    link also has a working href, so the list pages without JavaScript.
    """

    page: Page
    query: QueryDict
    param: str
    label: str
    target: str = ""
    swap: str = "outerHTML"
    push_url: bool = True

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)

    @property
    def first(self) -> str:
        return number_format(self.page.start_index(), force_grouping=True)

    @property
    def last(self) -> str:
        return number_format(self.page.end_index(), force_grouping=True)

    @property
    def total(self) -> str:
        return number_format(self.page.paginator.count, force_grouping=True)

    def url(self, number: int) -> str:
        query = self.query.copy()
        if number > 1:
            query[self.param] = str(number)
        return f"?{query.urlencode()}"

    @property
    def previous_url(self) -> str:
        return self.url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(self.page.next_page_number()) if self.page.has_next() else ""

    @property
    def links(self) -> list[PageLink]:
        paginator = self.page.paginator
        return [
            PageLink(None)
            if number == paginator.ELLIPSIS
            else PageLink(int(number), self.url(int(number)), number == self.page.number)
            for number in paginator.get_elided_page_range(
                self.page.number, on_each_side=2, on_ends=1
            )
        ]


def paginate(
    request: HttpRequest,
    items: Sequence[Any] | Any,
    *,
    label: str,
    param: str = "page",
    per_page: int = PER_PAGE,
    count: int | None = None,
    query: Mapping[str, str] | None = None,
    target: str = "",
    swap: str = "outerHTML",
    push_url: bool = True,
) -> Pager:
    """The page of `items` the request asks for in `param` (the first, or the last if too far).

    `items` is an ordered queryset or a list; `count`, when the caller already knows it,
    spares the count query. `query` replaces the request's query string in the links.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property, known already
    links = QueryDict(mutable=True)
    if query is None:
        links = request.GET.copy()
    else:
        links.update(query)
    links.pop(param, None)
    return Pager(
        page=paginator.get_page(request.GET.get(param)),
        query=links,
        param=param,
        label=label,
        target=target,
        swap=swap,
        push_url=push_url,
    )
