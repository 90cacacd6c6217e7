from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from siinas.lib.client_ip import client_ip


class SiinasAccountAdapter(DefaultAccountAdapter):
    """Accounts are created only by UPP validation of a registration, never by self sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        """allauth's rate limits count per this address: the same one the lockout uses (TRUSTED_PROXY_COUNT)."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address
