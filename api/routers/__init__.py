"""(prefix, router) pairs mounted under /api/v1/. Each dataset has its own module."""

from api.routers import pohon, token

ROUTERS = [
    ("/token", token.router),
    ("/industry-tree", pohon.router),
]
