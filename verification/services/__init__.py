"""Writes of the verification app, split by domain (style.md §1): team set-up, review of reports,
compliance (reminders, warning letters)."""

from verification.services.compliance import compliance_plan, reminder_send, warning_letter_send
from verification.services.review import (
    review_claim,
    review_release,
    review_return,
    review_validate,
    review_verify,
)
from verification.services.team import team_member_update

__all__ = [
    "compliance_plan",
    "reminder_send",
    "review_claim",
    "review_release",
    "review_return",
    "review_validate",
    "review_verify",
    "team_member_update",
    "warning_letter_send",
]
