"""Writes of the accounts app (style.md §2–3): every function is keyword-only, actor first, atomic
and audited. Split by domain; import from ``accounts.services``."""

from accounts.services.certificates import certificate_issue, certificate_revoke, certificate_token
from accounts.services.holidays import holiday_add, holiday_delete
from accounts.services.passwords import (
    generate_one_time_password,
    password_change,
    password_reminders_send,
    password_reset_request,
)
from accounts.services.profile import (
    capacities_replace,
    factory_kbli_set,
    licence_add,
    licence_delete,
    profile_section_update,
)
from accounts.services.registration import (
    registration_approve,
    registration_reject,
    registration_sla_alerts_send,
    registration_submit,
)
from accounts.services.registration_checks import (
    nib_prefill,
    registration_external_check,
    registration_recheck,
)
from accounts.services.status import factory_deactivate, factory_reactivate
from accounts.services.two_factor import (
    recovery_codes_generate,
    totp_device_confirm,
    totp_device_start,
)

__all__ = [
    "capacities_replace",
    "certificate_issue",
    "certificate_revoke",
    "certificate_token",
    "factory_deactivate",
    "factory_kbli_set",
    "factory_reactivate",
    "generate_one_time_password",
    "holiday_add",
    "holiday_delete",
    "licence_add",
    "licence_delete",
    "password_change",
    "password_reminders_send",
    "password_reset_request",
    "profile_section_update",
    "recovery_codes_generate",
    "nib_prefill",
    "registration_approve",
    "registration_external_check",
    "registration_recheck",
    "registration_reject",
    "registration_sla_alerts_send",
    "registration_submit",
    "totp_device_confirm",
    "totp_device_start",
]
