"""Many factory accounts, fast (bulk_create): for query-budget tests and the benchmark."""

from __future__ import annotations

import itertools

from accounts.models import AccountType, Company, Factory, Scale, location_key
from siinas.core.models import Kbli, Region


def bulk_factories(count: int, *, regions: list[str], start: int = 0) -> list[int]:
    """Create ``count`` factory accounts fast (bulk_create), spread over ``regions``, scales, types
    and KBLI codes. Returns their ids."""
    province_of = dict(Region.objects.filter(pk__in=regions).values_list("pk", "province_id"))
    kbli_codes = list(Kbli.objects.filter(level=Kbli.Level.KELOMPOK).values_list("code", flat=True)[:60])
    companies = Company.objects.bulk_create(
        [Company(name=f"PT Massal {start + i}", nib=f"{5000000000000 + start + i:013d}", npwp="013000000000000") for i in range(count)]
    )
    scales = itertools.cycle([Scale.KECIL, Scale.MENENGAH, Scale.BESAR])
    types = itertools.cycle([AccountType.A] * 9 + [AccountType.B])
    factories = []
    for i, company in enumerate(companies):
        region = regions[i % len(regions)]
        address = f"Jalan Massal {start + i}"
        factories.append(
            Factory(
                company=company,
                name=f"Pabrik {start + i}",
                account_type=next(types),
                address=address,
                region_id=region,
                province_id=province_of[region],
                location_key=location_key(address, region),
                scale=next(scales),
                crosses_regency_border=(i % 20 == 0),
                workforce=10 + i % 500,
                email=f"massal{start + i}@contoh.co.id",
            )
        )
    Factory.objects.bulk_create(factories)
    ids = list(Factory.objects.filter(company__in=companies).values_list("pk", flat=True))
    through = Factory.kbli.through
    through.objects.bulk_create(
        [through(factory_id=pk, kbli_id=kbli_codes[i % len(kbli_codes)]) for i, pk in enumerate(ids)]
        + [through(factory_id=pk, kbli_id=kbli_codes[(i + 7) % len(kbli_codes)]) for i, pk in enumerate(ids) if i % 3 == 0]
    )
    return ids


def populate_ten_thousand() -> None:
    """10,200 accounts: most in Jawa Barat (several kab/kota, Kab. Bekasi included), some in Jawa Timur."""
    jabar = list(Region.objects.filter(province_id="32").values_list("pk", flat=True)[:8])
    if "32.16" not in jabar:
        jabar.append("32.16")
    bulk_factories(9000, regions=jabar)
    bulk_factories(1200, regions=["35.78", "35.15"], start=9000)
