"""The partner API (/api/v1/). Each endpoint is an ApiRoute (tests/api/harness.py): the token harness
(tests/api/test_harness.py) calls it with no token, a token in scope, one without the dataset, one of
another territory and of other KBLI divisions, a revoked and an expired token. In the portal's role
table every signed-in role is a session, and a session is not a token: partner endpoints answer 401."""

from tests.api import partner_data
from tests.api.harness import ApiRoute
from tests.api.public_data import published_month, statistics_semester
from tests.authz.table import Route

NIB_A = "0233010001824"  # factory_a's NIB (PT Indo Pangan): in a body, factory_a's data is there


def _nib(cast) -> str:
    return NIB_A


def _factory_a(cast) -> dict:
    return {"factory_id": cast.factory_a.pk}


def _company_a(cast) -> dict:
    return {"nib": cast.factory_a.company.nib}


def _validated_a(cast) -> dict:
    return {"report_id": partner_data.report(cast.factory_a).pk}


def _filed_a(cast) -> dict:
    partner_data.report(cast.factory_a)
    return {}


def _compliance_a(cast) -> dict:
    partner_data.report(cast.factory_a)
    return {"nib": cast.factory_a.company.nib}


API_ROUTES = [
    ApiRoute("api:token", dataset="", note="any valid token reads its own scope"),
    ApiRoute("api:factories", dataset="registry", is_list=True, marker=_nib, note="the factory registry"),
    ApiRoute("api:factory", dataset="registry", setup=_factory_a, marker=_nib, note="one factory account"),
    ApiRoute("api:company", dataset="registry", setup=_company_a, marker=_nib, note="a NIB and its accounts in scope"),
    ApiRoute("api:reports", dataset="reports", setup=_filed_a, is_list=True, marker=_nib, note="validated reports"),
    ApiRoute("api:report", dataset="reports", setup=_validated_a, marker=_nib, note="one validated report's data"),
    ApiRoute(
        "api:compliance",
        dataset="compliance",
        setup=_filed_a,
        is_list=True,
        marker=_nib,
        query={"period": "2026-S1"},
        note="compliance of every account in scope for one period",
    ),
    ApiRoute(
        "api:compliance-nib",
        dataset="compliance",
        setup=_compliance_a,
        marker=_nib,
        query={"since": "2026-S1", "until": "2026-S1"},
        note="compliance of one NIB's accounts per period",
    ),
    # Public (issue 15 §2, §5): aggregates only, the same for every caller, a token or none.
    ApiRoute("api:iki-months", setup=lambda cast: published_month(cast) and {}, is_list=True, note="published IKI months"),
    ApiRoute("api:iki-month", setup=published_month, note="a published month as iki_compute --json"),
    ApiRoute("api:statistics-index", note="periods, dimensions and measures of the industry statistics"),
    ApiRoute("api:statistics-table", setup=statistics_semester, note="the public page's protected table"),
    ApiRoute("api:sdmx-data-iki", setup=lambda cast: published_month(cast) and {}, note="SDMX-CSV of DF_IKI"),
    ApiRoute("api:sdmx-data-industri", setup=lambda cast: statistics_semester(cast) and {}, note="SDMX-CSV of DF_INDUSTRI"),
    ApiRoute("api:sdmx-structure-iki", note="SDMX-ML 3.0 structure of DF_IKI"),
    ApiRoute("api:sdmx-structure-industri", note="SDMX-ML 3.0 structure of DF_INDUSTRI"),
    ApiRoute("api:sectors", dataset=None, note="public aggregates of analisis.sector (issue 18)"),
    ApiRoute("api:sector", dataset=None, setup=lambda cast: {"kbli2": "10"}, note="one subsector, public aggregates"),
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
