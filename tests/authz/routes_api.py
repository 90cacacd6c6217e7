"""The partner API (/api/v1/). Each endpoint is an ApiRoute (tests/api/harness.py): the token harness
(tests/api/test_harness.py) calls it with no token, a token in scope, one without the dataset, one of
another territory and of other KBLI divisions, a revoked and an expired token. In the portal's role
table every signed-in role is a session, and a session is not a token: partner endpoints answer 401."""

from tests.api.harness import ApiRoute
from tests.authz.table import Route

API_ROUTES = [
    ApiRoute("api:token", dataset="", note="any valid token reads its own scope"),
]

ROUTES = [r.session_route() for r in API_ROUTES] + [
    Route("api:api-root", public=True, note="where the description and the docs are"),
    Route("api:openapi-json", public=True, note="the OpenAPI 3 document"),
    Route("api:openapi-view", public=True, note="Swagger UI, assets served from static/ninja/"),
    Route(
        "api:not-found",
        setup=lambda cast: {"rest": "tidak-ada"},
        expect=dict.fromkeys(("anonymous", "company", "other_company", "upp", "verifier", "validator", "validator_other", "pemda_prov", "pemda_kab", "kl", "admin"), 404),
        note="JSON 404 for any other address under /api/v1/",
    ),
]

# Pohon Industri (issue 18 §3): public aggregates, the same builder as /analisis/pohon-industri/.
API_ROUTES += [
    ApiRoute("api:industry-tree", dataset=None, query={"kbli": "10"}, note="public; tests/analisis/test_pohon_api.py"),
    ApiRoute("api:industry-tree-products", dataset=None, query={"q": "sawit"}, note="public node search"),
]
ROUTES += [r.session_route() for r in API_ROUTES[-2:]]
