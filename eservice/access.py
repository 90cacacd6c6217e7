"""Who may see and do what with e-service applications and inquiry threads (style.md §7).

A company sees its own factory account's applications; a reviewing officer sees submitted
applications of the services its role reviews (a validator only those of factories in its KBLI
divisions); the admin sees every submitted application; a Pemda officer the submitted IOMKI of the
factories under its authority (UU 23/2014). Drafts are the company's alone.
Outside that scope → 404; inside it without the capability → 403.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.access import factory_ids_in_divisions, pemda_authority_q
from accounts.models import Factory, Role, User
from eservice.catalog import services_reviewed_by
from eservice.models import Application, Inquiry, Status
from siinas.lib.access import get_scoped_or_404

REVIEWING_ROLES = (Role.VERIFIER, Role.VALIDATOR)
# Pemda monitors the IOMKI of the factories under its authority (deck: "Data IOMKI" for Pemda).
PEMDA_SERVICES = ("iomki",)


def applications_visible_to(user: User) -> QuerySet[Application]:
    qs = Application.objects.select_related("factory__company", "factory__region", "factory__province")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.COMPANY:
        return qs.filter(factory_id=user.factory_id)
    if user.is_pemda:
        return qs.exclude(status=Status.DRAFT).filter(
            pemda_authority_q(user, "factory__"), service__in=PEMDA_SERVICES
        )
    if user.role not in (*REVIEWING_ROLES, Role.ADMIN):
        return qs.none()
    qs = qs.exclude(status=Status.DRAFT).filter(service__in=[s.code for s in services_reviewed_by(user.role)])
    if user.role == Role.VALIDATOR:
        qs = qs.filter(factory_id__in=factory_ids_in_divisions(user))
    return qs


def get_application_for_user_or_404(user: User, pk: int) -> Application:
    return get_scoped_or_404(applications_visible_to(user), pk=pk)


def is_owner(user: User, application: Application) -> bool:
    return user.role == Role.COMPANY and application.factory_id == user.factory_id


def can_review(user: User, application: Application) -> bool:
    """Only the service's reviewing role decides; the admin watches but does not decide."""
    return user.role == application.service_type.reviewing_role


def can_decide(user: User, application: Application) -> bool:
    """Return or decide: only the reviewing officer who took the application up (others take it over first)."""
    return can_review(user, application) and application.reviewer_id == user.pk


def can_comment(user: User, application: Application) -> bool:
    return is_owner(user, application) or can_review(user, application)


def threads_visible_to(user: User) -> QuerySet[Inquiry]:
    qs = Inquiry.objects.select_related("buyer__company", "supplier__company", "supplier__directory_profile")
    if not user.is_authenticated or user.role != Role.COMPANY:
        return qs.none()
    return qs.filter(Q(buyer_id=user.factory_id) | Q(supplier_id=user.factory_id))


def get_thread_for_user_or_404(user: User, pk: int) -> Inquiry:
    return get_scoped_or_404(threads_visible_to(user), pk=pk)


def reviewers_of(application: Application) -> QuerySet[User]:
    """Active officers who may decide ``application``: the service's role, in scope of the factory."""
    role = application.service_type.reviewing_role
    officers = User.objects.filter(role=role, is_active=True)
    if role == Role.VALIDATOR:
        divisions = Factory.kbli.through.objects.filter(factory_id=application.factory_id).values(
            "kbli__division"
        )
        officers = officers.filter(kbli_divisions__in=divisions).distinct()
    return officers
