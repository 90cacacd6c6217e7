"""(prefix, router) pairs mounted under /api/v1/. Each dataset has its own module."""

from api.routers import compliance, iki, pohon, registry, reports, sdmx, sectors, statistics, token

ROUTERS = [
    ("/token", token.router),
    # Public aggregates (no token; disclosure-controlled like the public pages).
    ("/iki", iki.router),
    ("/statistics", statistics.router),
    ("/sdmx", sdmx.router),
    ("/sectors", sectors.router),
    ("/industry-tree", pohon.router),
    # Partner datasets (token scope: api.access.scoped_factories); each router names its own paths.
    ("", registry.router),
    ("", reports.router),
    ("", compliance.router),
]
