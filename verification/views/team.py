"""Team set-up pages (admin only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from siinas.lib.access import role_required
from verification.access import get_team_member_or_404, team_members_visible_to
from verification.forms import TeamMemberForm
from verification.services import team_member_update


@role_required(Role.ADMIN)
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    members = team_members_visible_to(request.user).order_by("role", "username")
    return render(request, "verification/team_list.html", {"members": members})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def team_member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_team_member_or_404(request.user, pk)
    initial = {"role": member.role, "divisions": list(member.kbli_divisions.all())}
    form = TeamMemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            team_member_update(
                actor=request.user, member=member, role=form.cleaned_data["role"], divisions=form.cleaned_data["divisions"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Penugasan %(user)s disimpan.") % {"user": member.get_username()})
            return redirect("verification:team-list")
    return render(request, "verification/team_member_form.html", {"member": member, "form": form})
