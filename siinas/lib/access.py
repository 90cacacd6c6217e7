"""Shared building blocks for every app's ``access.py`` (style.md §7–8).

Semantics, everywhere: anonymous → the login page; logged in with the wrong role → 403;
an object outside the user's scope → 404, exactly as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

V = TypeVar("V", bound=Callable[..., Any])
M = TypeVar("M", bound=Model)


def role_required(*roles: str) -> Callable[[V], V]:
    """Gate a view to users holding one of ``roles`` (declared right above the view)."""

    allowed = frozenset(roles)

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def login_required[V: Callable[..., Any]](view: V) -> V:
    """Any signed-in user, whatever the role."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def require(condition: bool) -> None:
    """Inside scope but without the capability: 403."""
    if not condition:
        raise PermissionDenied


def get_scoped_or_404[M: Model](queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch from an already-scoped queryset; anything outside it is simply not found."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
