"""Writes of the verification app, split by domain (style.md §1): team set-up, review of reports,
compliance (reminders, warning letters)."""

from verification.services.team import team_member_update

__all__ = ["team_member_update"]
