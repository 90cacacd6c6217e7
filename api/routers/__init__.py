"""(prefix, router) pairs mounted under /api/v1/. Each dataset has its own module."""

from api.routers import iki, sdmx, statistics, token

ROUTERS = [
    ("/token", token.router),
    ("/iki", iki.router),
    ("/statistics", statistics.router),
    ("/sdmx", sdmx.router),
]
