"""Indexed keyword search of facilities on PostgreSQL (检索索引): character unigrams and bigrams.

The public search keeps a facility when every word of the normalised keyword occurs in
its stored ``name_search`` or in its ``address`` (a substring match, ADR 0040). A plain
``LIKE '%…%'`` reads every candidate row, and ``pg_trgm`` cannot help: under the C
locale it does not split Chinese text into trigrams. So (ADR 0041):

- the SQL function :data:`GRAMS_FUNCTION` turns ``name_search`` and ``address`` into a
  ``tsvector`` whose lexemes are every character and every pair of adjacent characters
  (no white space), taken as they are — no parser, no dictionary, so Chinese works —
  plus lexemes for the province, city and county codes of the facility's division, so a
  place filter is answered by the same index scan (common pairs such as 托育 occur in
  nearly every name; the place lexeme is what makes the scan short);
- a GIN index on that expression, limited to facilities on the public register
  (:data:`GRAMS_INDEX`), is maintained by PostgreSQL itself on every insert and update,
  including bulk creation and the import: there is no stored key that could go stale;
- a keyword becomes a ``tsquery`` that ANDs the bigrams of every word (its single
  character for a one-character word), :func:`grams_tsquery`. A facility containing a
  word contains all of its bigrams, so the index never drops a match; the substring
  filter is still applied after it, so the result is exactly that of the plain filter.

SQLite (tests, the embedded setup) has no such index: :func:`keyword_filter` is then the
plain substring filter alone.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, QuerySet

#: Name of the SQL function (created by migration ``facilities.0004``, PostgreSQL only).
GRAMS_FUNCTION = "tuoyu_search_grams"
#: Name of the GIN index on the function over public facilities.
GRAMS_INDEX = "facility_public_grams_gin"

#: ``tuoyu_search_grams(name_search, address, division_id) -> tsvector``: the distinct
#: characters and adjacent character pairs of ``name_search || LF || address`` that contain
#: no white space, plus ``division:<prefix>`` for the 2-, 4- and 6-digit prefixes of the
#: division's code (longer than any gram, so never mixed up with one). Declared IMMUTABLE
#: so it can be indexed, although it reads the division's code: a division row never
#: changes its code (GB/T 2260 changes are new rows, ADR 0004); after a manual change,
#: run ``tuoyu rebuild_search_index``. The table is schema-qualified for pg_restore.
CREATE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION tuoyu_search_grams(name_key text, address text, division bigint)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(array_agg(DISTINCT g))
  FROM (
    SELECT substr(t, i, n) AS g
    FROM (SELECT coalesce($1, '') || chr(10) || coalesce($2, '') AS t) AS src,
         generate_series(1, 2) AS n,
         generate_series(1, char_length(t)) AS i
    WHERE i + n - 1 <= char_length(t)
    UNION ALL
    SELECT 'division:' || left(d.code, k)
    FROM public.reference_division AS d, unnest(ARRAY[2, 4, 6]) AS k
    WHERE d.id = $3
  ) AS grams
  WHERE g !~ '[[:space:]]'
$$
"""
#: The GIN index over facilities on the public register (filed, or filed with a change pending).
CREATE_INDEX_SQL = """
CREATE INDEX IF NOT EXISTS facility_public_grams_gin ON facilities_facility
USING gin (tuoyu_search_grams(name_search, address, division_id))
WHERE filing_status IN ('filed', 'change_submitted')
"""
DROP_SQL = (
    "DROP INDEX IF EXISTS facility_public_grams_gin",
    "DROP FUNCTION IF EXISTS tuoyu_search_grams(text, text, bigint)",
)


def uses_index() -> bool:
    """True when the default database is PostgreSQL (the gram index exists there only)."""
    return connection.vendor == "postgresql"


def word_grams(word: str) -> list[str]:
    """The lexemes a facility must have to contain ``word``: its bigrams, or the word itself
    when it is a single character. ``""`` gives ``[]``."""
    if len(word) <= 1:
        return [word] if word else []
    return [word[i : i + 2] for i in range(len(word) - 1)]


def _quote(lexeme: str) -> str:
    escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


def grams_tsquery(words: list[str], place: str = "") -> str:
    """The ``tsquery`` text (AND of quoted lexemes) matching facilities that have every gram
    of every word of ``words`` (already normalised, without spaces) and, when ``place`` (a
    2-, 4- or 6-digit division-code prefix) is given, lie there; ``""`` for no grams."""
    seen: dict[str, None] = {}
    for word in words:
        for gram in word_grams(word):
            seen.setdefault(gram, None)
    if not seen:
        return ""
    lexemes = [_quote(gram) for gram in seen]
    if place:
        if not (place.isdigit() and len(place) in (2, 4, 6)):
            raise ValueError("place must be a 2-, 4- or 6-digit division-code prefix")
        lexemes.append(f"'division:{place}'")
    return " & ".join(lexemes)


class GramsMatch(Expression):
    """``tuoyu_search_grams(name_search, address, division_id) @@ '<query>'::tsquery`` as a filter.

    The SQL repeats the indexed expression exactly, so PostgreSQL can use the GIN index.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, query: str):
        super().__init__()
        self.query = query
        self.name_key = F("name_search")
        self.address = F("address")
        self.division = F("division_id")

    def get_source_expressions(self):
        return [self.name_key, self.address, self.division]

    def set_source_expressions(self, exprs):
        self.name_key, self.address, self.division = exprs

    def as_sql(self, compiler, connection):
        name_sql, name_params = compiler.compile(self.name_key)
        address_sql, address_params = compiler.compile(self.address)
        division_sql, division_params = compiler.compile(self.division)
        sql = f"{GRAMS_FUNCTION}({name_sql}, {address_sql}, {division_sql}) @@ (%s)::tsquery"
        return sql, (*name_params, *address_params, *division_params, self.query)


def place_in_keyword_index(words: list[str], place: str) -> bool:
    """True when :func:`keyword_filter` with ``words`` and ``place`` (a 2-, 4- or 6-digit
    division-code prefix) also limits the facilities to ``place``: on PostgreSQL, when the
    words give grams, the index match includes the place's lexeme. Its ``division:`` lexemes
    are read from the facility's division by :data:`GRAMS_FUNCTION` — in the index and,
    on a recheck or without the index, row by row — so it is the same place filter as the
    division code's prefix (a division never changes its code, ADR 0004)."""
    return bool(place) and uses_index() and bool(grams_tsquery(words, place))


def keyword_filter(queryset: QuerySet, words: list[str], place: str = "") -> QuerySet:
    """``queryset`` limited to facilities where every word of ``words`` (normalised) occurs
    in ``name_search`` or in ``address`` — and, when :func:`place_in_keyword_index` is
    true, that lie in the division-code prefix ``place``; otherwise the caller filters on
    the place itself.

    On PostgreSQL the gram index narrows the candidates first (to the place too) and the
    substring filter decides. The index covers facilities on the public register only:
    the caller's queryset must filter ``filing_status`` to the public statuses for the
    planner to use it.
    """
    for word in words:
        queryset = queryset.filter(Q(name_search__contains=word) | Q(address__contains=word))
    if words and uses_index():
        query = grams_tsquery(words, place)
        if query:
            queryset = queryset.filter(GramsMatch(query))
    return queryset
