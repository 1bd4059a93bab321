"""/healthz for load balancers: the database answers and every migration is applied.

A plain Django view, outside the API: no authentication, no throttling, no language
prefix. 200 with {"database": "ok", "migrations": "ok"}, or 503 naming what fails.
"""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def check_database(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The state of the database and of its migrations, each "ok" or what is wrong."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"database": "unreachable", "migrations": "unknown"}
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return {"database": "ok", "migrations": "unknown"}
    if plan:
        pending = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return {"database": "ok", "migrations": f"not applied: {pending}{more}"}
    return {"database": "ok", "migrations": "ok"}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = check_database()
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
