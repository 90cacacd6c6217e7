"""The embedded default writes each e-mail to var/mail/ as an .eml file and prints one line (issue 19 §2)."""

from __future__ import annotations

import email
from email import policy

import pytest
from django.core.mail import EmailMessage

from siinas.lib.mail_files import EmlFileBackend


def test_each_message_is_one_eml_file_with_its_attachment_and_one_console_line(tmp_path, capsys):
    backend = EmlFileBackend(directory=str(tmp_path))
    message = EmailMessage("Surat Peringatan SP1", "Isi surat.", "noreply@siinas.go.id", ["pabrik@contoh.co.id"])
    message.attach("SP1.pdf", b"%PDF-1.7 letter", "application/pdf")
    assert backend.send_messages([message]) == 1
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1 and "surat-peringatan-sp1" in files[0].name
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Surat Peringatan SP1" and parsed["To"] == "pabrik@contoh.co.id"
    (attachment,) = list(parsed.iter_attachments())
    assert attachment.get_filename() == "SP1.pdf" and attachment.get_content() == b"%PDF-1.7 letter"
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "pabrik@contoh.co.id" in out[0] and str(files[0]) in out[0]


def test_the_embedded_default_uses_it():
    import os
    import subprocess
    import sys

    from django.conf import settings

    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SIINAS_ENV", "DEBUG", "EMAIL_BACKEND"}}
    result = subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"],
        cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "siinas.lib.mail_files.EmlFileBackend", result.stderr


@pytest.mark.django_db
def test_an_admin_lists_and_downloads_the_mail_files_outside_production(client, cast, settings):
    from django.urls import reverse

    from tests.helpers import login

    EmlFileBackend().send_messages(
        [EmailMessage("Akun SIINas disetujui", "Kata sandi sekali pakai.", "noreply@siinas.go.id", ["legal@contoh.co.id"])]
    )
    login(client, cast.admin)
    page = client.get(reverse("core:dev-mail"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Akun SIINas disetujui" in html and "legal@contoh.co.id" in html
    name = page.context["messages_"][0].name
    download = client.get(reverse("core:dev-mail-file", args=[name]))
    assert download.status_code == 200 and b"Kata sandi sekali pakai." in b"".join(download.streaming_content)
    assert client.get(reverse("core:dev-mail-file", args=["..%2F..%2Fsettings.py"])).status_code == 404
    settings.PRODUCTION = True
    assert client.get(reverse("core:dev-mail")).status_code == 404
    assert client.get(reverse("core:dev-mail-file", args=[name])).status_code == 404
