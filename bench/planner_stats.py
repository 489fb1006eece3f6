"""
Warn when the benchmark reads tables the PostgreSQL planner has no statistics for.

Without ANALYZE the planner guesses row counts and every figure is 2–4× slower than a
production database gives (issue 14); `seed_ministry` ends with ANALYZE, a database
filled otherwise may not.
"""

import sys

from django.db import connection

# Tables holding rows that were never analysed (reltuples < 0 since PostgreSQL 14), or
# sizeable tables neither ANALYZE nor autovacuum has looked at yet.
UNANALYSED = """
    SELECT s.relname
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.n_live_tup > 0
      AND (c.reltuples < 0
           OR (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL AND s.n_live_tup > 1000))
    ORDER BY s.n_live_tup DESC
"""


def warn_without_statistics() -> list[str]:
    """Print a warning on stderr naming the tables without statistics; return them."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(UNANALYSED)
        tables = [name for (name,) in cursor.fetchall()]
    if tables:
        print(
            f"ATTENTION : {len(tables)} tables sans statistiques du planificateur "
            f"({', '.join(tables[:5])}{'…' if len(tables) > 5 else ''}) : "
            "les mesures seront trop lentes. Lancez ANALYZE (seed_ministry le fait).",
            file=sys.stderr,
        )
    return tables
