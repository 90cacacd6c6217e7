from tests.authz.table import SIGNED_IN, Route

ROUTES = [
    Route("core:home", public=True),
    Route("core:dashboard", allow=SIGNED_IN),
    Route("core:announcement-list", allow={"admin"}),
    Route("core:announcement-add", allow={"admin"}, method="POST", data=lambda cast: _announcement_post()),
    Route("core:announcement-edit", allow={"admin"}, setup=lambda cast: {"pk": _announcement(cast)}),
    Route(
        "core:announcement-delete",
        allow={"admin"},
        method="POST",
        setup=lambda cast: {"pk": _announcement(cast)},
    ),
    Route("core:exports", allow=SIGNED_IN, note="each user's own exports only"),
    Route(
        "core:export-download",
        allow={"pemda_prov"},
        hide=SIGNED_IN - {"pemda_prov"},
        setup=lambda cast: {"pk": _export(cast)},
        note="the owner only; anyone else's export does not exist for them",
    ),
    Route("core:health", public=True, note="reports only up/down per dependency, no data"),
    Route(
        "core:metrics",
        public=True,
        expect=dict.fromkeys(("anonymous", *SIGNED_IN), 404),
        note="Prometheus only, with Authorization: Bearer METRICS_TOKEN; no session gets in, and without a token "
        "configured (as here) the page does not exist (tests/core/test_observability.py)",
    ),
    Route("core:dev-mail", allow={"admin"}, note="development only (404 in production): var/mail/"),
    Route(
        "core:dev-mail-file",
        allow={"admin"},
        setup=lambda cast: {"name": _mail_file()},
        note="development only; a name from the folder's own listing",
    ),
    Route("set_language", public=True, method="POST", data=lambda cast: {"language": "en", "next": "/"}),
    Route("javascript-catalog", public=True),
    Route("captcha-image", public=True, setup=lambda cast: {"key": _captcha_key()}),
    Route("captcha-image-2x", public=True, setup=lambda cast: {"key": _captcha_key()}),
    Route("captcha-audio", public=True, setup=lambda cast: {"key": _captcha_key()}, expect=dict.fromkeys(("anonymous", *SIGNED_IN), 404)),
    Route("captcha-refresh", public=True, expect=dict.fromkeys(("anonymous", *SIGNED_IN), 404)),
]


def _captcha_key() -> str:
    from captcha.models import CaptchaStore

    return CaptchaStore.generate_key()


def _mail_file() -> str:
    from django.core.mail import EmailMessage

    from siinas.lib.mail_files import EmlFileBackend

    EmlFileBackend().send_messages([EmailMessage("Uji", "Isi.", "noreply@siinas.go.id", ["a@contoh.go.id"])])
    from siinas.core.dev_mail import mail_files

    return mail_files()[0].name


def _announcement_post() -> dict:
    return {
        "title": "Uji",
        "body": "Isi",
        "roles": ["company"],
        "starts_on": "2031-01-01",
        "ends_on": "2031-01-31",
    }


def _announcement(cast) -> int:
    import datetime as dt

    from siinas.core.services import announcement_save

    return announcement_save(
        actor=cast.admin,
        title="Uji",
        body="Isi",
        roles=["company"],
        starts_on=dt.date(2031, 1, 1),
        ends_on=dt.date(2031, 1, 31),
    ).pk


def _export(cast) -> int:
    from django.core.files.base import ContentFile

    from siinas.core.models import ExportJob

    job = ExportJob(owner=cast.pemda_jabar, kind="pemda.companies", fmt="csv", title="Uji", status=ExportJob.Status.DONE, filename="uji.csv")
    job.file.save("uji.csv", ContentFile(b"id\n1\n"), save=False)
    job.save()
    return job.pk

