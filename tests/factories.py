"""factory_boy factories for the models every app shares. Apps add their own in tests/<app>/."""

from __future__ import annotations

import factory
from django.utils import timezone

from accounts.models import AccountType, Company, Factory, Role, Scale, User
from siinas.core.models import Kbli, Region

TEST_PASSWORD = "Rahasia#2026"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"PT Uji Industri {n}")
    nib = factory.Sequence(lambda n: f"{9000000000000 + n:013d}")
    npwp = "013000000000000"


class FactoryAccountFactory(factory.django.DjangoModelFactory):
    """An Akun SIINas (one factory location)."""

    class Meta:
        model = Factory
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Pabrik {n}")
    account_type = AccountType.A
    address = factory.Sequence(lambda n: f"Jalan Industri {n}")
    region = factory.LazyFunction(lambda: Region.objects.get(pk="32.16"))
    scale = Scale.BESAR
    stage = Factory.Stage.PRODUCTION
    workforce = 100
    email = factory.Sequence(lambda n: f"pabrik{n}@contoh.co.id")

    @factory.post_generation
    def kbli_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.kbli.set(Kbli.objects.filter(code__in=extracted))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@contoh.go.id")
    role = Role.COMPANY
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def divisions(self, create, extracted, **kwargs):
        if create and extracted:
            self.kbli_divisions.set(extracted)


def company_user(factory_account: Factory, username: str) -> User:
    return UserFactory(username=username, role=Role.COMPANY, factory=factory_account)


def officer(username: str, role: str, **extra) -> User:
    user = UserFactory(username=username, role=role, **extra)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user
