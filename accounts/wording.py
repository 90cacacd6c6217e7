"""Django's own strings on the password pages, listed so that the project's catalogue can word them as the
portal does: "password", never "sandi" (issue 16 §9, docs/glossary.md).

Django's Indonesian catalogue says "Sandi"/"Kata sandi" in its password forms and validators, while every
SIINas page, e-mail and the spec say "password". ``makemessages`` keeps a message in ``locale/id`` only when
the project's source names it; this module names them. Their Indonesian wording is in
``locale/id/LC_MESSAGES/django.po`` and wins over Django's (``LOCALE_PATHS`` come first);
``tests/core/test_wording.py`` checks the pages. Nothing imports this module at run time.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# PasswordChangeForm, SetPasswordForm (django.contrib.auth.forms)
FORM_STRINGS = (
    gettext_noop("Old password"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("The two password fields didn’t match."),
)
# AUTH_PASSWORD_VALIDATORS (django.contrib.auth.password_validation): help texts and errors
VALIDATOR_STRINGS = (
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
)
VALIDATOR_PLURALS = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
)
