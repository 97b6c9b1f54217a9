"""The cockpit: what needs this person, across the programmes they may see, above the portfolio.

The cockpit is a list of *items* (`PROVIDERS`), each a `Provider`: a key (its place in
addresses), a title, and a function that finds the records for a set of programmes. Another
module adds an item with one line in `PROVIDERS`; an item whose module does not exist yet
(the four-eyes proposals) is left out until it does (`optional`), so the cockpit never shows
an item it cannot fill.

A provider's function answers `find(scope, offset=…, limit=…)` with a `Found` (a count and a
page of `Row`s). `queryset_provider` turns a function that returns a QuerySet (of a model with a
`programme` foreign key) into one: its rows link to the record's change page in the admin.

Caching: what an item finds for a set of programmes is the same for everyone who sees that set,
so shared items are cached under the set (`"all"` or a hash of the ids), the day and the
generation (funding/cache.py); items that depend on the person (their own proposals) are
`per_user` and never shared. Links are made per request from the rows, as who may edit differs
(`funding.permissions.may_edit_programme`); making them costs no query.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from funding.cache import cached
from funding.dashboards import cockpit_items
from funding.dashboards.cockpit_items import Found, ProgrammeRef, Row
from funding.paging import page_number
from funding.permissions import may_edit_programme, scope_key, visible_programme_ids

# Rows per item on the cockpit; "and N more" opens the item's full list, paged.
SHOWN = 10
PER_PAGE = 50


@dataclass(frozen=True)
class Scope:
    """Whose cockpit, over which programmes (None: every one), on which day."""

    user: object
    programme_ids: frozenset[int] | None
    today: date


@dataclass(frozen=True)
class Provider:
    key: str
    title: Promise
    find: Callable[..., Found]
    per_user: bool = False


def by_programmes(function) -> Callable[..., Found]:
    """A finder of funding/dashboards/cockpit_items.py, which answers for programmes and a day."""

    def find(scope: Scope, *, offset: int, limit: int) -> Found:
        return function(scope.programme_ids, today=scope.today, offset=offset, limit=limit)

    return find


def queryset_provider(function, *, per_user: bool) -> Callable[..., Found]:
    """A finder from a function returning a QuerySet: of the person (`per_user`) or of the
    programme ids they see (None: every one). The QuerySet's model has a `programme` foreign
    key; its rows are limited to the programmes the person sees and listed as `str(record)`."""

    def find(scope: Scope, *, offset: int, limit: int) -> Found:
        records = function(scope.user) if per_user else function(scope.programme_ids)
        records = records.filter(programme__isnull=False)  # a deleted programme has no page
        if scope.programme_ids is not None:
            records = records.filter(programme_id__in=scope.programme_ids)
        count = records.count()
        page = records.select_related("programme")[offset : offset + limit] if count else []
        return Found(count, [_record_row(record) for record in page])

    return find


def _record_row(record) -> Row:
    meta, programme = record._meta, record.programme
    return Row(
        programme=ProgrammeRef(programme.pk, programme.slug, programme.name, programme.name_en),
        title=str(record),
        admin=f"admin:{meta.app_label}_{meta.model_name}_change",
        pk=record.pk,
    )


def optional(path: str):
    """The function at `module:name`, or None while that module does not exist."""
    module_name, _, name = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        # Only the module itself (or its package) missing; a broken import inside it is a bug.
        if not error.name or not (module_name + ".").startswith(error.name + "."):
            raise
        return None
    return getattr(module, name, None)


def _planned(key, title, path, *, per_user) -> Provider | None:
    function = optional(path)
    if function is None:
        return None
    return Provider(key, title, queryset_provider(function, per_user=per_user), per_user=per_user)


# What the cockpit lists, in this order. The items that come from other modules (the four-eyes
# proposals) appear once their module exists; tests/dashboards check that each named function
# is there whenever its module is.
PLANNED = {
    "awaiting-my-approval": "funding.governance.queries:awaiting_approval_by",
    "awaiting-others": "funding.governance.queries:awaiting_others",
    "break-glass": "funding.governance.queries:break_glass_uses",
}
PROVIDERS = [
    provider
    for provider in (
        _planned(
            "awaiting-my-approval",
            _("Proposals awaiting your approval"),
            PLANNED["awaiting-my-approval"],
            per_user=True,
        ),
        _planned(
            "awaiting-others",
            _("Your proposals awaiting someone else"),
            PLANNED["awaiting-others"],
            per_user=True,
        ),
        Provider(
            "overdue-milestones",
            _("Milestones past their expected date with no report"),
            by_programmes(cockpit_items.overdue_milestones),
        ),
        Provider(
            "overdue-decisions",
            _("Funding decisions past their expected date"),
            by_programmes(cockpit_items.overdue_decisions),
        ),
        Provider(
            "fallen-shares",
            _("Programmes whose committed share fell in the last week"),
            by_programmes(cockpit_items.fallen_committed_shares),
        ),
        Provider(
            "failed-source-checks",
            _("Sources whose check failed"),
            by_programmes(cockpit_items.failed_source_checks),
        ),
        _planned(
            "break-glass",
            _("Changes applied alone (break-glass)"),
            PLANNED["break-glass"],
            per_user=False,
        ),
    )
    if provider is not None
]


@dataclass(frozen=True)
class ShownRow:
    row: Row
    url: str  # the record where the person may edit it, else its place on the dashboard
    dashboard_url: str
    editable: bool


@dataclass
class ShownItem:
    key: str
    title: Promise
    count: int
    rows: list[ShownRow]
    offset: int = 0
    expanded: bool = False
    more_url: str = ""  # the full list, when the cockpit shows only the first rows
    previous_url: str = ""
    next_url: str = ""

    @property
    def more(self) -> int:
        return self.count - self.offset - len(self.rows) if not self.expanded else 0

    @property
    def first(self) -> int:
        """The number of the first row shown (from 1), for "1 to 50 of 120"."""
        return self.offset + 1

    @property
    def last(self) -> int:
        return self.offset + len(self.rows)

    @property
    def anchor(self) -> str:
        return f"needs-{self.key}"


def programmes_key(programme_ids: frozenset[int] | None) -> str:
    """The part of a cache key that says which programmes: shared by all who see the same."""
    return scope_key(programme_ids)


def asked(expand: str | None, page: str | None) -> tuple[str | None, int]:
    """The item to show in full (None unless a known key) and its page, from the address."""
    if not any(provider.key == expand for provider in PROVIDERS):
        return None, 1
    return expand, page_number(page) or 1


def shown_items(
    user, *, today: date, expand: str | None = None, page: int = 1, per_user: bool | None = None
) -> list[ShownItem]:
    """What needs `user` today: every item with its count and first rows, and the one asked for
    (`expand`, from `asked`) with its `page` of rows. `per_user`: only the person's own items
    (True), only those shared by everyone who sees the same programmes (False), or all."""
    scope = Scope(user, visible_programme_ids(user), today)
    providers = [p for p in PROVIDERS if per_user is None or p.per_user == per_user]
    shared = _shared_items(scope) if not per_user else {}
    items = []
    for provider in providers:
        if provider.key == expand:
            offset = (page - 1) * PER_PAGE
            found = _found(provider, scope, offset=offset, limit=PER_PAGE, page=page)
            items.append(_shown(provider, found, user, offset=offset, expanded=True))
        elif provider.per_user:
            found = _own(provider, scope, offset=0, limit=SHOWN, page=1)
            items.append(_shown(provider, found, user))
        else:
            items.append(_shown(provider, shared[provider.key], user))
    return items


def _shared_items(scope: Scope) -> dict[str, Found]:
    def build():
        return {
            provider.key: provider.find(scope, offset=0, limit=SHOWN)
            for provider in PROVIDERS
            if not provider.per_user
        }

    return cached(
        ("cockpit", programmes_key(scope.programme_ids)),
        build,
        scope="staff",
        language=False,
        day=scope.today,
    )


def _own(provider: Provider, scope: Scope, *, offset: int, limit: int, page: int) -> Found:
    """A person's own item, cached for them alone: any save of a proposal or an audit row (funding
    records) retires it with the rest, so a warm cockpit reads nothing."""
    return cached(
        ("cockpit-own", scope.user.pk, provider.key, page, limit),
        lambda: provider.find(scope, offset=offset, limit=limit),
        scope="staff",
        language=False,
        day=scope.today,
    )


def _found(provider: Provider, scope: Scope, *, offset: int, limit: int, page: int) -> Found:
    if provider.per_user:
        return _own(provider, scope, offset=offset, limit=limit, page=page)
    return cached(
        ("cockpit", programmes_key(scope.programme_ids), provider.key, page),
        lambda: provider.find(scope, offset=offset, limit=limit),
        scope="staff",
        language=False,
        day=scope.today,
    )


def _shown(provider, found: Found, user, *, offset: int = 0, expanded: bool = False):
    item = ShownItem(
        key=provider.key,
        title=provider.title,
        count=found.count,
        rows=[_shown_row(row, user) for row in found.rows],
        offset=offset,
        expanded=expanded,
    )
    anchor = f"#{item.anchor}"
    if not expanded and found.count > len(found.rows):
        item.more_url = _cockpit_url(needs=provider.key) + anchor
    if expanded:
        page = offset // PER_PAGE + 1
        if offset:
            item.previous_url = _cockpit_url(needs=provider.key, needs_page=page - 1) + anchor
        if offset + len(found.rows) < found.count:
            item.next_url = _cockpit_url(needs=provider.key, needs_page=page + 1) + anchor
    return item


def _cockpit_url(**query) -> str:
    return f"{reverse('funding:dashboard')}?{urlencode(query)}"


def _shown_row(row: Row, user) -> ShownRow:
    dashboard = reverse("funding:dashboard_programme", args=[row.programme.slug])
    url_name, suffix = row.fallback
    url = reverse(url_name, args=[row.programme.slug]) + suffix
    editable = bool(row.admin) and may_edit_programme(user, row.programme.pk)
    if editable:
        try:
            url = reverse(row.admin, args=[row.pk])
        except NoReverseMatch:  # a record the admin does not offer: its programme's page
            editable = False
    return ShownRow(row=row, url=url, dashboard_url=dashboard, editable=editable)
