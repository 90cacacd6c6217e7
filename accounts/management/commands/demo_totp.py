"""``manage.py demo_totp USERNAME``: the current 6-digit code of a demo officer's authenticator, so a newcomer
can sign in as ``upp``, ``verifikator`` … without an authenticator app. Refused in production."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user's authenticator (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_totp is refused under SIINAS_ENV=production.")
        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True, name="demo").select_related("user").first()
        )
        if device is None:
            raise CommandError(f"{username} has no demo authenticator (only the demo cast of load_demo has one).")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
