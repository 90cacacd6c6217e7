import pytest

from api.models import Dataset
from tests.api import factories


@pytest.fixture
def callers(cast) -> dict[str, str | None]:
    """The token harness's callers (tests/api/harness.py), each as its token string (None = no token)."""
    admin = cast.admin
    return {
        "anonymous": None,
        "in_scope": factories.token(admin, region="32", divisions=("10",), name="Jawa Barat pangan")[1],
        "other_territory": factories.token(admin, region="35", name="Jawa Timur")[1],
        "other_division": factories.token(admin, divisions=("24", "25"), name="Logam nasional")[1],
        "revoked": factories.revoked(admin, name="Dicabut")[1],
        "expired": factories.expired(admin, name="Kedaluwarsa")[1],
    }


@pytest.fixture
def token_without(cast):
    """A national token holding every dataset but ``dataset``."""

    def make(dataset: str) -> str:
        return factories.token(cast.admin, datasets=[d for d in Dataset.values if d != dataset], name=f"tanpa {dataset}")[1]

    return make
