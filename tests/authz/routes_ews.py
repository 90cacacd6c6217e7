"""Early-warning routes: who gets through (tests/authz/table.py).

The "Peringatan dini" page: ministry (verifier, admin), validators (their divisions) and Pemda (their
own region, aggregates of at least 3 companies). Companies, UPP and K/L get 403. The page is a scoped
list: what each role sees inside it is tested in tests/ews/test_page.py.
"""

from __future__ import annotations

from tests.authz.table import Route

VIEWERS = frozenset({"verifier", "validator", "validator_other", "pemda_prov", "pemda_kab", "admin"})

ROUTES = [
    Route("ews:signal-list", allow=VIEWERS),
]
