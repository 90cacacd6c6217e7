"""(prefix, router) pairs mounted under /api/v1/. Each dataset has its own module."""

from api.routers import sectors, token

ROUTERS = [
    ("/token", token.router),
    ("/sectors", sectors.router),
]
