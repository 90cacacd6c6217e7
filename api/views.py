"""The portal's partner pages (/mitra/, issue 15 §4 and §7): admins register partner organisations and
issue, rotate and revoke their API tokens; the Mitra K/L members of an organisation see its tokens and
their use. The JSON API itself is under /api/v1/ (api/urls.py).

A token's full secret leaves the server once: the issuing (or rotating) POST keeps it in the session
only until the redirect target shows it, which removes it from the session in the same request and is
sent with ``Cache-Control: no-store``. It is never stored, never put in a URL, never shown again."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from api import access, selectors, services
from api.forms import OrganisationForm, TokenIssueForm, TokenRevokeForm
from api.models import ApiToken, PartnerOrganisation
from siinas.lib.access import role_required

SECRET_SESSION_KEY = "api_token_secret_once"  # noqa: S105 — a session key name, not a secret


def _apply(form: Form, write) -> object | None:
    """Run ``write(**cleaned_data)`` on a shape-valid form; a service ValidationError goes back onto the
    form's fields (the input is kept)."""
    if not form.is_valid():
        return None
    try:
        return write(**form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


def _hand_over(request: HttpRequest, token: ApiToken, secret: str) -> HttpResponse:
    request.session[SECRET_SESSION_KEY] = {"token": token.pk, "secret": secret}
    return redirect("mitra:token-secret", pk=token.pk)


@role_required(*access.PORTAL_ROLES)
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    context = {
        "organisations": selectors.organisation_rows(request.user),
        "can_manage": access.can_manage_tokens(request.user),
    }
    return render(request, "api/organisation_list.html", context)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        write = partial(services.organisation_create, actor=request.user, request=request)
        if (organisation := _apply(form, write)) is not None:
            messages.success(request, _("Organisasi mitra disimpan."))
            return redirect("mitra:organisation-detail", pk=organisation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "api/organisation_form.html", {"form": form, "organisation": None}, status=status)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_user_or_404(request.user, pk)
    if request.method != "POST":
        form = OrganisationForm.for_organisation(organisation)
        return render(request, "api/organisation_form.html", {"form": form, "organisation": organisation})
    form = OrganisationForm(request.POST)
    write = partial(services.organisation_update, actor=request.user, organisation=organisation, request=request)
    if _apply(form, write) is not None:
        messages.success(request, _("Organisasi mitra disimpan."))
        return redirect("mitra:organisation-detail", pk=organisation.pk)
    return render(request, "api/organisation_form.html", {"form": form, "organisation": organisation}, status=400)


@role_required(*access.PORTAL_ROLES)
@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation: PartnerOrganisation = access.get_organisation_for_user_or_404(request.user, pk)
    context = {
        "organisation": organisation,
        "members": list(organisation.members.order_by("username")),
        "tokens": selectors.organisation_tokens(organisation),
        "can_manage": access.can_manage_tokens(request.user),
    }
    return render(request, "api/organisation_detail.html", context)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def token_issue(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_user_or_404(request.user, pk)
    form = TokenIssueForm(request.POST or None)
    if request.method == "POST":
        write = partial(services.token_issue, actor=request.user, organisation=organisation, request=request)
        if (issued := _apply(form, write)) is not None:
            token, secret = issued
            return _hand_over(request, token, secret)
    status = 400 if request.method == "POST" else 200
    return render(request, "api/token_issue.html", {"form": form, "organisation": organisation}, status=status)


@role_required(Role.ADMIN)
@require_GET
@never_cache
def token_secret(request: HttpRequest, pk: int) -> HttpResponse:
    """The full secret, once: taken out of the session by this very request (a reload shows nothing)."""
    token = access.get_token_for_user_or_404(request.user, pk)
    held = request.session.get(SECRET_SESSION_KEY)
    secret = None
    if held and held.get("token") == token.pk:
        secret = held["secret"]
        del request.session[SECRET_SESSION_KEY]
    return render(request, "api/token_secret.html", {"token": token, "secret": secret})


def _token_page(request: HttpRequest, token: ApiToken, *, revoke_form: TokenRevokeForm | None = None, status: int = 200):
    token.state = token.status()
    context = {
        "token": token,
        "divisions": list(token.kbli_divisions.order_by("code")),
        "calls": selectors.token_calls_page(token, page=request.GET.get("page", 1)),
        "daily": selectors.token_daily_use(token),
        "can_manage": access.can_manage_tokens(request.user),
        "revoke_form": revoke_form or TokenRevokeForm(),
    }
    return render(request, "api/token_detail.html", context, status=status)


@role_required(*access.PORTAL_ROLES)
@require_GET
def token_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _token_page(request, access.get_token_for_user_or_404(request.user, pk))


@role_required(Role.ADMIN)
@require_POST
def token_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    token = access.get_token_for_user_or_404(request.user, pk)
    try:
        new, secret = services.token_rotate(actor=request.user, token=token, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("mitra:token-detail", pk=token.pk)
    return _hand_over(request, new, secret)


@role_required(Role.ADMIN)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = access.get_token_for_user_or_404(request.user, pk)
    form = TokenRevokeForm(request.POST)

    def write(*, revoke_reason: str) -> ApiToken:
        return services.token_revoke(actor=request.user, token=token, reason=revoke_reason, request=request)

    if _apply(form, write) is not None:
        messages.success(request, _("Token dicabut."))
        return redirect("mitra:token-detail", pk=token.pk)
    return _token_page(request, token, revoke_form=form, status=400)
