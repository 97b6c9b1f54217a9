"""What keeps the admin's big lists fast: index-friendly search, filters and counts.

With 100,000 contributions, Django's defaults read every row several times per page: a count,
a second count of everything, a DISTINCT over a column per filter, and a search that ORs
`LIKE` conditions across joined tables, which no index can answer. These replacements give
the same results from indexes (see migration 0007 and docs/decisions.md).
"""

from functools import reduce
from operator import or_

from django.contrib import admin
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _

from funding.admin.scoping import scoped_queryset
from funding.admin.totals import contribution_totals
from funding.cache import cached, query_key
from funding.permissions import editable_programme_ids, editable_scope


class TotalsPaginator(Paginator):
    """Pages contributions and totals them; the number of rows comes from the totals query.

    The totals count the matching rows anyway, so the page needs no `COUNT(*)` of its own.
    `selection_key` names the rows selected (the SQL, without order), once the totals are read.
    """

    selection_key: str | None = None

    @cached_property
    def totals(self) -> list[dict]:
        """Kept until a funding record changes: paging or sorting the same selection, or going
        back to it, sums 100,000 rows once rather than on every page."""
        try:
            sql, params = self.object_list.order_by().query.sql_with_params()
        except EmptyResultSet:
            # A filter no row can match, such as an id beyond the column's range: Django
            # answers such a query with no rows without asking the database, and so do we.
            return []
        self.selection_key = query_key(sql, params)
        return cached(
            ("totals", self.selection_key),
            lambda: contribution_totals(self.object_list),
            scope="admin",
            language=False,
        )

    @cached_property
    def count(self) -> int:
        return sum(row["count"] for row in self.totals)


class UsedRelatedFilter(admin.RelatedFieldListFilter):
    """Lists the related rows that some row of the list points to (like `RelatedOnly...`).

    Asked per related row through the foreign key's index (`EXISTS`), rather than by
    collecting the distinct keys of every row of the list.
    """

    def field_choices(self, field, request, model_admin):
        rows = model_admin.model._default_manager.filter(**{self.field_path: OuterRef("pk")})
        # In use by the rows the person may see: a team member's list names no funder of
        # another programme only.
        rows = scoped_queryset(model_admin.admin_site, request, model_admin.model, rows)
        related = field.related_model._default_manager.filter(Exists(rows))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        # The same for every visitor until a funding record changes; the names may be translated.
        return cached(
            (
                "used-related",
                self.field_path,
                model_admin.opts.label_lower,
                editable_scope(request.user),
            ),
            lambda: [(row.pk, str(row)) for row in related],
            scope="admin",
        )


class ProgrammeChoiceFilter(admin.RelatedFieldListFilter):
    """Filters by programme with a drop-down in a small GET form, not a link per programme.

    A portfolio has a thousand programmes: Django's filter loaded each as a model and built a
    link with the whole query string for each, most of a list page's time. Here each is an id
    and a name, and the form carries the list's other parameters along as hidden fields. For a
    required foreign key (no "empty" choice) to a model with a `name`.
    """

    template = "admin/funding/choice_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        # "All" submits an empty value: no filter, rather than Django's invalid-lookup page.
        if self.lookup_val is not None and not any(self.lookup_val):
            self.lookup_val = None
            self.used_parameters.pop(self.lookup_kwarg, None)

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        if editable_programme_ids(request.user) is None:
            return cached(
                ("choices", related._meta.label_lower),
                lambda: list(
                    related._default_manager.order_by("name", "pk").values_list("pk", "name")
                ),
                scope="admin",
                language=False,
            )
        programmes = scoped_queryset(
            model_admin.admin_site, request, related, related._default_manager.all()
        )
        return list(programmes.order_by("name", "pk").values_list("pk", "name"))

    def choices(self, changelist):
        own = set(self.expected_parameters())
        self.kept_parameters = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name not in own
            for value in values
        ]
        chosen = set(self.lookup_val or ())
        choices = [{"value": "", "selected": self.lookup_val is None, "display": _("All")}]
        choices += [
            {"value": str(pk), "selected": str(pk) in chosen, "display": name}
            for pk, name in self.lookup_choices
        ]
        # Joined here: a template loop over a thousand options cost ~10 ms.
        self.options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    choice["value"],
                    mark_safe(" selected") if choice["selected"] else "",
                    choice["display"],
                )
                for choice in choices
            ),
        )
        return choices


class IndexedValuesFilter(admin.AllValuesFieldListFilter):
    """The distinct values of an indexed column, found by hopping from one value to the next.

    `SELECT DISTINCT` reads every row; this walk (a "loose index scan") costs one index probe
    per distinct value, however many rows share it. The column needs an index and no NULLs.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        # A team member's choices are the values of their own list (Django's DISTINCT over it,
        # small); the walk reads the whole table, every programme's values, once per generation.
        if editable_programme_ids(request.user) is None:
            table, column = model._meta.db_table, field.column
            self.lookup_choices = cached(
                ("distinct", table, column),
                lambda: distinct_values(table, column),
                scope="admin",
                language=False,
            )


def distinct_values(table: str, column: str) -> list[str]:
    quote = connection.ops.quote_name
    table, column = quote(table), quote(column)
    sql = (
        f"WITH RECURSIVE found(value) AS ("
        f" SELECT * FROM (SELECT {column} FROM {table} ORDER BY {column} LIMIT 1) AS first"
        f" UNION ALL"
        f" SELECT (SELECT {column} FROM {table} WHERE {column} > found.value"
        f" ORDER BY {column} LIMIT 1) FROM found WHERE found.value IS NOT NULL"
        f") SELECT value FROM found WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [value for (value,) in cursor.fetchall()]


def search_terms(search_term: str) -> list[str]:
    """The words of a search, quoted phrases kept whole, as Django's admin splits them."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            terms.append(bit)
    return terms


def contains_any(fields: list[str], term: str) -> Q:
    return Q.create([(f"{field}__icontains", term) for field in fields], connector=Q.OR)


def matching_ids(model, fields: list[str], terms: list[str]) -> list[list[int]]:
    """For each term, the ids of `model` rows where one of `fields` contains it; one query, or
    none while no funding record changed since the same search."""
    return cached(
        ("matching", model._meta.label_lower, query_key(fields, terms)),
        lambda: _matching_ids(model, fields, terms),
        scope="admin",
        language=False,
    )


def _matching_ids(model, fields: list[str], terms: list[str]) -> list[list[int]]:
    conditions = [contains_any(fields, term) for term in terms]
    flags = {
        f"matches_{number}": ExpressionWrapper(condition, output_field=BooleanField())
        for number, condition in enumerate(conditions)
    }
    rows = (
        model._default_manager.filter(reduce(or_, conditions))
        .annotate(**flags)
        .values_list("pk", *flags)
    )
    rows = list(rows)
    return [[row[0] for row in rows if row[number + 1]] for number in range(len(terms))]


def indexed_search(queryset, search_term: str, *, own: list[str], related: dict[str, list[str]]):
    """Rows where every term of the search is in one of the `own` columns or related names.

    Like Django's admin search, but the related tables (funders, programmes: small) are
    searched first, so that each term becomes conditions on this table's own columns and
    foreign keys. PostgreSQL answers each with an index (trigram or B-tree) and combines
    them (BitmapOr); one `LIKE` across a join would read every row instead.
    """
    terms = search_terms(search_term)
    if not terms:
        return queryset
    matches = {
        relation: matching_ids(
            queryset.model._meta.get_field(relation).related_model, fields, terms
        )
        for relation, fields in related.items()
    }
    for number, term in enumerate(terms):
        condition = contains_any(own, term)
        for relation, ids in matches.items():
            if ids[number]:
                condition |= Q(**{f"{relation}__in": ids[number]})
        queryset = queryset.filter(condition)
    return queryset


def changelist_part_key(changelist, request) -> str | None:
    """What a rendered part of a change list (its rows, its filters) depends on besides the
    generation, the language and the address (which holds the filters, the search, the order and
    the page): None when it cannot be cached.

    The rows the list selects, as SQL (`TotalsPaginator.selection_key`: it holds whatever limits
    them to what this user may see), and what the user's rights change in the rendering: the
    columns, which link, and the actions offered.
    """
    selection = getattr(changelist.paginator, "selection_key", None)
    if selection is None:
        return None
    return query_key(
        selection,
        tuple(changelist.list_display),
        tuple(changelist.list_display_links or ()),
        tuple(changelist.model_admin.get_actions(request)),
        changelist.is_popup,
        changelist.to_field,
        changelist.list_per_page,
    )
