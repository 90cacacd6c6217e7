"""Authentication events → audit trail.

Django's auth signals are the one place every sign-in path passes (our login page *and* the
Django admin login), and axes announces a lockout only by its signal, so these receivers are the
boundary where the audit event is written (style.md §20 is about domain flow, not this).
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from siinas.lib.audit import audit


@receiver(user_logged_in, dispatch_uid="accounts.audit.login")
def _logged_in(sender, request, user, **kwargs):
    audit("accounts.login.succeeded", actor=user, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="accounts.audit.logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit("accounts.logout", actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit("accounts.login.failed", actor=None, request=request, username=username, path=getattr(request, "path", ""))


@receiver(user_locked_out, dispatch_uid="accounts.audit.locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit("accounts.login.locked_out", actor=None, request=request, username=str(username or "")[:150], ip=ip_address)
