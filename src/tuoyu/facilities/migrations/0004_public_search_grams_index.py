"""The gram index of the public keyword search (PostgreSQL only; ADR 0041).

Creates the IMMUTABLE function ``tuoyu_search_grams(name_search, address, division_id) -> tsvector``
and a GIN index on it over facilities on the public register. Nothing is stored in a
column: PostgreSQL maintains the index on every write, bulk creation included. Other
databases (SQLite) get nothing and keep the plain substring filter. The SQL is frozen
here; ``tuoyu.facilities.search_index`` holds the same statements for
``tuoyu rebuild_search_index``.
"""

from django.db import migrations

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

CREATE_INDEX_SQL = """
CREATE INDEX IF NOT EXISTS facility_public_grams_gin ON facilities_facility
USING gin (tuoyu_search_grams(name_search, address, division_id))
WHERE filing_status IN ('filed', 'change_submitted')
"""

DROP_SQL = (
    "DROP INDEX IF EXISTS facility_public_grams_gin",
    "DROP FUNCTION IF EXISTS tuoyu_search_grams(text, text, bigint)",
)


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION_SQL)
    schema_editor.execute(CREATE_INDEX_SQL)


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP_SQL:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("facilities", "0003_child_ref_validator"),
    ]

    operations = [
        migrations.RunPython(_create, _drop, elidable=False),
    ]
