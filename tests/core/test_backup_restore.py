"""The restore drill (issue 19 §6): the demo database with its uploads is backed up, restored into a fresh
database and an empty folder, and found equal — every table's row count, every report version's receipt
hash (and each one still the hash of its data), every file's SHA-256. A tampered backup is refused before
anything is written. PostgreSQL only (pg_dump); CI runs it through .ci/run."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import shutil
import stat
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from psycopg2 import extensions

from reporting.models import ReportVersion
from reporting.selectors import snapshot_hash
from siinas.core import backup
from siinas.core.backup import BackupError, Database
from siinas.lib.uploads import private_storage

postgres_only = pytest.mark.skipif(
    not settings.USING_POSTGRES, reason="backup and restore are PostgreSQL-only (pg_dump); run with DATABASE_URL=postgres://…"
)


@contextlib.contextmanager
def _new_database():
    """A new empty database on the test server, dropped afterwards whatever the test did."""
    source = Database.from_settings(connection.settings_dict)
    target = dataclasses.replace(source, name=f"siinas_restore_{os.getpid()}_{uuid.uuid4().hex[:8]}")
    admin = dataclasses.replace(source, name="postgres").connect()
    admin.set_isolation_level(extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{target.name}"')
        yield target
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def fresh_database():
    with _new_database() as database:
        yield database


@pytest.fixture(scope="module")
def untouched_database(django_db_setup):
    """One empty database for the refusals: each test checks it is still empty."""
    if not settings.USING_POSTGRES:
        pytest.skip("PostgreSQL only")
    with _new_database() as database:
        yield database


def _url(database: Database) -> str:
    auth = quote(database.user) + (f":{quote(database.password, safe='')}" if database.password else "")
    return f"postgres://{auth}@{database.host or 'localhost'}:{database.port or 5432}/{database.name}"


def _file_sums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def _read(database: Database, query: str) -> list[tuple]:
    conn = database.connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall()
    finally:
        conn.close()


def _row_counts(database: Database) -> dict[str, int]:
    conn = database.connect()
    try:
        with conn.cursor() as cursor:
            return backup.row_counts(cursor)
    finally:
        conn.close()


def _stored_file_names() -> set[str]:
    """Every name a FileField of any model holds in the database."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names |= set(model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    return names - {None}


@postgres_only
def test_the_demo_database_and_its_uploads_come_back_whole(transactional_db, reference_data, fresh_database, tmp_path, capsys):
    call_command("load_demo", stdout=io.StringIO())
    media = Path(settings.PRIVATE_MEDIA_ROOT)
    source = Database.from_settings(connection.settings_dict)
    counts_before = _row_counts(source)
    hashes_before = dict(ReportVersion.objects.values_list("id", "content_hash"))
    files_before = _file_sums(media)
    stored = _stored_file_names()
    assert hashes_before and len(files_before) >= 5 and stored <= set(files_before)

    call_command("backup", output=tmp_path / "backup")
    assert stat.S_IMODE((tmp_path / "backup").stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "backup").iterdir()} == {0o600}
    shutil.rmtree(media)  # the uploads are gone; the database is restored into a fresh one
    capsys.readouterr()
    restored = tmp_path / "restored-private"
    call_command("restore", input=tmp_path / "backup", database_url=_url(fresh_database), media_root=restored)

    summary = capsys.readouterr().out.strip()
    assert summary.startswith(f"Restored {source.name} of ") and summary.endswith("match the manifest.")
    assert len(summary.splitlines()) == 1
    assert _row_counts(fresh_database) == counts_before
    versions = _read(fresh_database, "SELECT id, content_hash, data FROM reporting_reportversion")
    assert {pk: digest for pk, digest, _ in versions} == hashes_before
    assert all(snapshot_hash(data) == digest for _, digest, data in versions)
    assert _file_sums(restored) == files_before  # every upload, byte for byte, including every stored name
    assert _read(fresh_database, "SELECT count(*) FROM django_migrations") == _read(source, "SELECT count(*) FROM django_migrations")


@pytest.fixture
def small_backup(db, tmp_path) -> Path:
    """A backup of the test database as committed (reference data; this test's transaction is not in it)
    with two uploads."""
    private_storage.save("nib/contoh.pdf", ContentFile(b"%PDF-1.4 contoh NIB\n%%EOF\n"))
    private_storage.save("eservice/lampiran.pdf", ContentFile(b"%PDF-1.4 lampiran\n%%EOF\n"))
    call_command("backup", output=tmp_path / "backup", stdout=io.StringIO())
    return tmp_path / "backup"


def _tamper_dump(folder: Path) -> None:
    dump = bytearray((folder / "database.dump").read_bytes())
    dump[len(dump) // 2] ^= 0x01
    (folder / "database.dump").write_bytes(bytes(dump))


def _tamper_file_and_cover_the_archive_hash(folder: Path) -> None:
    """One upload changed inside the archive, the archive's own hash fixed up: only the per-file hash is left."""
    archive, members = folder / "private-media.tar", []
    with tarfile.open(archive) as tar:
        for member in tar:
            data = tar.extractfile(member).read() if member.isfile() else None
            if member.name == "nib/contoh.pdf":
                data = data.replace(b"contoh", b"palsu!")
            members.append((member, data))
    with tarfile.open(archive, "w") as tar:
        for member, data in members:
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["media"]["sha256"] = backup.sha256_file(archive)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "SHA256SUMS").unlink()


def _tamper_manifest(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["dump"]["sha256"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))


@postgres_only
@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_tamper_dump, "database.dump does not match its SHA-256 in the manifest"),
        (_tamper_file_and_cover_the_archive_hash, "file nib/contoh.pdf does not match its SHA-256 in the manifest"),
        (_tamper_manifest, "manifest.json does not match its SHA-256 in SHA256SUMS"),
    ],
    ids=["dump", "file-in-archive", "manifest"],
)
def test_a_tampered_backup_is_refused_before_anything_is_restored(small_backup, untouched_database, tmp_path, tamper, message):
    call_command("restore", input=small_backup, verify_only=True, stdout=io.StringIO())
    tamper(small_backup)
    restored = tmp_path / "restored-private"

    with pytest.raises(CommandError, match="nothing was restored") as refusal:
        call_command("restore", input=small_backup, database_url=_url(untouched_database), media_root=restored)
    assert message in str(refusal.value)
    with pytest.raises(CommandError, match=message):
        call_command("restore", input=small_backup, verify_only=True)
    assert _row_counts(untouched_database) == {}
    assert not restored.exists()


@postgres_only
def test_a_database_or_a_folder_that_is_not_empty_is_refused_unless_forced(small_backup, fresh_database, tmp_path):
    source = Database.from_settings(connection.settings_dict)
    with pytest.raises(CommandError, match=r"The target database .* is not empty .* add --force"):
        call_command("restore", input=small_backup, database_url=_url(source), media_root=tmp_path / "empty")

    occupied = tmp_path / "occupied"
    (occupied / "nib").mkdir(parents=True)
    (occupied / "nib" / "lain.pdf").write_bytes(b"%PDF-1.4 lain")
    with pytest.raises(CommandError, match=r"The target folder .* is not empty"):
        call_command("restore", input=small_backup, database_url=_url(fresh_database), media_root=occupied)
    assert _row_counts(fresh_database) == {}

    call_command("restore", input=small_backup, database_url=_url(fresh_database), media_root=occupied, force=True,
                 stdout=io.StringIO())
    assert _row_counts(fresh_database) == _row_counts(source)
    assert set(_file_sums(occupied)) == {"nib/lain.pdf", "nib/contoh.pdf", "eservice/lampiran.pdf"}
    # Forced over a database that now holds the backup: what the dump holds is dropped and replaced.
    call_command("restore", input=small_backup, database_url=_url(fresh_database), media_root=occupied, force=True,
                 stdout=io.StringIO())
    assert _row_counts(fresh_database) == _row_counts(source)


def test_sqlite_is_refused_with_what_to_copy_instead():
    with pytest.raises(BackupError, match=r"PostgreSQL only.*copy the whole var/ folder"):
        Database.from_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": "var/siinas.sqlite3"})


def test_the_password_reaches_pg_dump_through_the_environment_only():
    database = Database.from_url("postgres://siinas:s%40cret@db.internal:5433/siinas?sslmode=require")
    env = database.environ()
    assert (env["PGPASSWORD"], env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"], env["PGSSLMODE"]) == (
        "s@cret", "db.internal", "5433", "siinas", "siinas", "require"
    )
    assert "s@cret" not in repr(database) and "s@cret" not in database.label


def test_the_image_carries_pg_dump_and_pg_restore():
    assert "postgresql-client" in (Path(settings.BASE_DIR) / "Dockerfile").read_text()
