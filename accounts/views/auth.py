"""Sign-in, two-factor, password change and forgot-password."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import forms, security, services
from accounts.middleware import has_confirmed_device
from siinas.lib.access import login_required
from siinas.lib.audit import audit
from siinas.lib.qr import qr_data_uri

RATE_LIMITED = gettext_noop("Terlalu banyak permintaan dari alamat ini. Silakan coba lagi nanti.")
RESET_SENT = gettext_noop(
    "Jika username dan NIB cocok dengan akun yang aktif, tautan untuk mengganti password telah dikirim ke e-mail akun tersebut."
)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request: HttpRequest) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


class LoginView(auth_views.LoginView):
    """Username + password; a captcha once this username or address has failed recently. Axes
    (authentication backend) counts failures and locks out; audit receivers record each attempt."""

    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True

    def _username(self) -> str:
        return self.request.POST.get("username", "") if self.request.method == "POST" else ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["require_captcha"] = security.captcha_required(self.request, self._username())
        return kwargs

    def form_valid(self, form):
        security.clear_login_failures(self.request, form.get_user().get_username())
        return super().form_valid(form)

    def form_invalid(self, form):
        security.note_login_failure(self.request, self._username())
        if "captcha" not in form.fields:
            # From now on this form asks for the captcha (a fresh challenge is rendered).
            form.fields["captcha"] = forms.captcha_field()
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """``admin.site.login`` (siinas/urls.py): the Django admin has no sign-in form of its own. Everyone
    signs in on the SIINas page, with its captcha, lockout and two-factor step, and comes back to ``next``.
    Signed in without admin access → 403 (a redirect back to the login would loop)."""
    from django.contrib import admin

    target = request.GET.get("next") or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
    if not admin.site.has_permission(request):
        raise PermissionDenied
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(target if safe else reverse("admin:index"))


def _confirmed_devices(user) -> list:
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a TOTP code or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    devices = _confirmed_devices(user)
    if not devices:
        return redirect(_with_next("accounts:otp-setup", request) if user.needs_two_factor else _next_url(request))
    form = forms.OtpTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        for device in devices:
            if verified := verify_token(user, device.persistent_id, token):
                otp_login(request, verified)
                audit("accounts.2fa.verified", actor=user, target=user, request=request, device=verified.persistent_id)
                return redirect(_next_url(request))
        audit("accounts.2fa.failed", actor=user, target=user, request=request)
        form.add_error("token", _(forms.OTP_INVALID))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (mandatory for officers, optional for companies). Someone who
    already has a device must pass the code step first: this page never bypasses it."""
    user = request.user
    if has_confirmed_device(user) and not user.is_verified():
        return redirect(_with_next("accounts:otp-verify", request))
    device = services.totp_device_start(user=user)
    form = forms.OtpTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(actor=user, device=device, token=form.cleaned_data["token"], request=request)
        if codes is not None:
            otp_login(request, device)
            request.session["accounts_recovery_codes"] = codes
            messages.success(request, _("Verifikasi dua langkah aktif. Simpan kode cadangan berikut."))
            return redirect(_with_next("accounts:otp-recovery-codes", request))
        form.add_error("token", _(forms.OTP_INVALID))
    secret = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "qr": qr_data_uri(device.config_url), "secret": secret, "next": _next_url(request)}
    return render(request, "accounts/otp_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def otp_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows a fresh set of recovery codes once; POST makes a new set (the old one stops working)."""
    user = request.user
    if not has_confirmed_device(user):
        return redirect("accounts:otp-setup")  # no 2FA yet: recovery codes come with enrolment
    if not user.is_verified():
        return redirect(_with_next("accounts:otp-verify", request))
    if request.method == "POST":
        request.session["accounts_recovery_codes"] = services.recovery_codes_generate(actor=user, user=user, request=request)
        return redirect("accounts:otp-recovery-codes")
    codes = request.session.pop("accounts_recovery_codes", None)
    return render(request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Ganti Password — also where an expired or one-time password sends the user."""
    user = request.user
    form = forms.PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.password_change(actor=user, user=user, new_password=form.cleaned_data["new_password1"], request=request)
        # Keeps this session; every other session of the user ends (its auth hash no longer matches).
        update_session_auth_hash(request, user)
        messages.success(request, _("Password berhasil diganti. Berlaku %(days)s hari.") % {"days": settings.PASSWORD_MAX_AGE_DAYS})
        return redirect(_next_url(request))
    reason = "first" if user.must_change_password else ("expired" if user.password_expired() else "")
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def password_forgot(request: HttpRequest) -> HttpResponse:
    """Lupa Password: username + NIB + captcha. The answer is the same whether or not they match."""
    from allauth.core import ratelimit

    form = forms.ForgotPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # allauth keeps the count in the cache. While Redis is down the fail-soft cache reads it as empty
        # and forgets each hit, so the limit is not enforced then (the request is never refused or failed
        # for want of a cache); the captcha, checked above by is_valid() and kept in the database, still is.
        if not ratelimit.consume(request, action="siinas_password_forgot", key=form.cleaned_data["username"].lower()):
            form.add_error(None, _(RATE_LIMITED))
            return render(request, "accounts/password_forgot.html", {"form": form}, status=429)
        services.password_reset_request(username=form.cleaned_data["username"], nib=form.cleaned_data["nib"], request=request)
        return redirect("accounts:password-forgot-sent")
    return render(request, "accounts/password_forgot.html", {"form": form})


def password_forgot_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_forgot_sent.html", {"message": _(RESET_SENT)})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The e-mailed link (Django's token generator); the new password goes through the service."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.request = self.request
        return form

    def form_valid(self, form):
        messages.success(self.request, _("Password berhasil diganti. Silakan masuk dengan password baru."))
        return super().form_valid(form)
