from allauth.account.adapter import DefaultAccountAdapter


class SiinasAccountAdapter(DefaultAccountAdapter):
    """Accounts are created only by UPP validation of a registration, never by self sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False
