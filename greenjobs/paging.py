"""The pager of every list (pages, the API, the admin): its count costs at most a bounded scan.

Counting a filtered list of a million rows reads every matching row; a pager only needs to know that
there are more pages. So the count follows one rule, written here once:

- up to `PAGING_EXACT_COUNT_LIMIT` matching rows (10,000 by default) the count is exact;
- a whole table (no filter, no grouping) larger than that is estimated from PostgreSQL's statistics
  (`pg_class.reltuples`, kept by ANALYZE and autovacuum), as large admin lists do, and shown as
  "about N";
- a filtered list is counted up to the limit and no further (`SELECT count(*) FROM (SELECT … LIMIT
  limit+1)`); past it the count is the limit, shown as "more than N", and the pages beyond it are
  reached by narrowing the filters.

`count_kind` says which (`exact`, `about`, `more_than`); `count_is_estimate` is its yes/no form for
the API.
"""

from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .formats import format_number

DEFAULT_EXACT_COUNT_LIMIT = 10_000

EXACT = "exact"
ABOUT = "about"
MORE_THAN = "more_than"


def exact_count_limit() -> int:
    return getattr(settings, "PAGING_EXACT_COUNT_LIMIT", DEFAULT_EXACT_COUNT_LIMIT)


def _is_whole_table(queryset: QuerySet) -> bool:
    """True when the queryset counts exactly the rows of its table: no filter, grouping or slice."""
    query = queryset.query
    return not (
        query.where
        or query.group_by is not None
        or query.distinct
        or query.combinator
        or query.is_sliced
        or query.extra
    )


def _whole_table_count(queryset: QuerySet, limit: int) -> tuple[int, bool] | None:
    """(count, estimated) of a whole PostgreSQL table in one query: the statistics' estimate when it
    is past the limit, else the capped count; None on another database.

    The capped count sits in a CASE branch, so PostgreSQL runs it only when the estimate is not taken
    (an uncorrelated subquery is evaluated on first use). A table never analysed has no estimate
    (reltuples is -1 since PostgreSQL 14, 0 before) and is counted.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    capped = queryset.values_list("pk")[: limit + 1]
    capped_sql, params = capped.query.get_compiler(using=queryset.db).as_sql()
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    # Only Django's compiled SQL is put in the text; every value goes as a parameter.
    sql = (
        "SELECT CASE WHEN t.reltuples > %s THEN t.reltuples::bigint ELSE (SELECT count(*) FROM ("  # noqa: S608
        + capped_sql
        + ") capped) END, COALESCE(t.reltuples > %s, false)"
        " FROM (SELECT (SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)) AS reltuples) t"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit, *params, limit, table])
        count, estimated = cursor.fetchone()
    return int(count), bool(estimated)


def count_rows(object_list, *, limit: int | None = None) -> tuple[int, str]:
    """(count, kind) of a queryset or a list under the rule above, in one query."""
    limit = exact_count_limit() if limit is None else limit
    if not isinstance(object_list, QuerySet):
        return len(object_list), EXACT
    queryset = object_list.order_by()
    counted = _whole_table_count(queryset, limit) if _is_whole_table(queryset) else None
    if counted is not None and counted[1]:
        return counted[0], ABOUT
    # The slice makes Django count over a LIMITed subquery: the scan stops one row past the limit.
    capped = counted[0] if counted is not None else queryset[: limit + 1].count()
    if capped > limit:
        return limit, MORE_THAN
    return capped, EXACT


def describe_count(count: int, kind: str) -> str:
    """The count as a reader sees it, in the reader's digits: "12", "about 312,000", "more than 10,000"."""
    shown = format_number(count, 0)
    if kind == ABOUT:
        return _("about %(count)s") % {"count": shown}
    if kind == MORE_THAN:
        return _("more than %(count)s") % {"count": shown}
    return shown


class CheapPaginator(Paginator):
    """Django's paginator with the count above; the rest (get_page's forgiving page numbers, page()'s
    EmptyPage past the end) is Django's."""

    @cached_property
    def _counted(self) -> tuple[int, str]:
        return count_rows(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_kind(self) -> str:
        return self._counted[1]

    @property
    def count_is_estimate(self) -> bool:
        return self.count_kind != EXACT

    @property
    def count_display(self) -> str:
        return describe_count(self.count, self.count_kind)

    @property
    def pages_display(self) -> str:
        return describe_count(self.num_pages, self.count_kind)

    def page(self, number):
        """Django's page, except that an estimated count does not cut the last page short: past a
        capped count there are more rows, and an estimate may be low."""
        if not self.count_is_estimate:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)
