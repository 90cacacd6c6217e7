"""Verification demo data: a factory account that never filed, with its SP1 warning letters.

The account was registered in 2025, so it owed Semester 2 2025 (window January–February 2026) and
Semester 1 2026 (window July–August 2026) and filed neither: the real compliance services plan and
send its SP1 letters (numbered PDFs on letterhead, e-mailed to the console). Idempotent: loading
the demo again sends nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.demo import DemoCast, _user
from accounts.models import AccountType, Company, Factory, Role, Scale
from reporting.services import period_create_semesters
from siinas.core.models import Kbli, Region
from verification.models import WarningLetter
from verification.services.compliance import compliance_plan, reminder_send, warning_letter_send

NIB = "5120000999000"


def seed(cast: DemoCast) -> None:
    for year in (2025, 2026):
        period_create_semesters(actor=None, year=year)
    company, _ = Company.objects.update_or_create(nib=NIB, defaults={"name": "PT Lalai Lapor Sejahtera", "npwp": "061234563411000"})
    factory = Factory.objects.filter(company=company, name="Pabrik Tangerang").first() or Factory(company=company, name="Pabrik Tangerang")
    factory.account_type = AccountType.A
    factory.address = "Jalan Industri Jatiuwung 9, Cibodas"
    factory.region = Region.objects.get(pk="36.71")
    factory.scale = Scale.MENENGAH
    factory.stage = Factory.Stage.PRODUCTION
    factory.workforce = 120
    factory.email = "lalailapor@demo.siinas.go.id"
    factory.created_at = timezone.make_aware(dt.datetime(2025, 3, 1, 9, 0))
    factory.save()
    factory.kbli.set(Kbli.objects.filter(code="10792"))
    cast.factories["lalailapor"] = factory
    cast.users["lalailapor"] = _user("lalailapor", Role.COMPANY, "PT Lalai Lapor Sejahtera", factory=factory, is_staff=False)

    # The real job, run once for today: SP1 to every account that owed a report and filed none.
    for notice in compliance_plan(today=timezone.localdate()):
        if notice.kind == "letter":
            warning_letter_send(letter_id=notice.pk)
        else:
            reminder_send(reminder_id=notice.pk)
    sent = WarningLetter.objects.filter(factory=factory, sent_at__isnull=False).count()
    cast.logins.append(("lalailapor", "Perusahaan", f"PT Lalai Lapor Sejahtera — tidak pernah melapor, {sent} surat peringatan"))
