"""(prefix, router) pairs mounted under /api/v1/. Each dataset has its own module."""

from api.routers import compliance, registry, reports, token

ROUTERS = [
    ("/token", token.router),
    # Partner datasets (token scope: api.access.scoped_factories); each router names its own paths.
    ("", registry.router),
    ("", reports.router),
    ("", compliance.router),
]
