"""Backup and restore of the PostgreSQL database together with the private upload folder, with checksums.

A backup is a folder of four files (docs/operations.md "Backup and restore"):

- ``database.dump``: ``pg_dump --format=custom`` of the database;
- ``private-media.tar``: every regular file under ``PRIVATE_MEDIA_ROOT``, names relative to it;
- ``manifest.json``: when, from which database, with which ``pg_dump``, the last applied migration per app,
  the row count of every table and the digest of the report versions' receipt hashes (all read in the very
  snapshot ``pg_dump`` dumps), the SHA-256 of the dump, of the archive and of every file in it;
- ``SHA256SUMS``: the three files above in ``sha256sum -c`` format, to check a copy anywhere.

A restore checks every checksum before it writes anything, restores only into an empty database and an
empty folder (unless forced), then compares the restored database and files with the manifest.

``pg_dump`` and ``pg_restore`` get their connection from libpq's environment (``PGHOST``, ``PGPASSWORD``…),
never from their command line, where any local user could read a password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

import dj_database_url
import psycopg2
from psycopg2 import extensions, sql

FORMAT = 1
DUMP_NAME = "database.dump"
ARCHIVE_NAME = "private-media.tar"
MANIFEST_NAME = "manifest.json"
SUMS_NAME = "SHA256SUMS"
CHUNK = 1024 * 1024

# Column digests kept in the manifest and compared after a restore: the receipt hash of every submitted
# report version is what a company checks publicly against its Tanda Terima.
DIGESTS: dict[str, tuple[str, ...]] = {"reporting_reportversion": ("id", "content_hash")}

# Connection options of a DATABASE_URL that libpq understands (as PG* variables for the tools).
_LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A refusal or a failure, said in one paragraph an operator can act on."""


@dataclass(frozen=True)
class Database:
    """Where a PostgreSQL database is, as libpq needs it."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = field(default="", repr=False)
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_settings(cls, settings_dict: dict[str, Any]) -> Database:
        engine = settings_dict.get("ENGINE", "")
        if not engine.endswith("postgresql"):
            raise BackupError(
                "Backup and restore work on PostgreSQL only; this database is "
                f"{engine.rsplit('.', 1)[-1] or 'unknown'}. For the embedded SQLite default, stop the portal and "
                "copy the whole var/ folder (the database file and var/private/ together), or set DATABASE_URL."
            )
        options = settings_dict.get("OPTIONS") or {}
        return cls(
            name=str(settings_dict["NAME"]),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
            options=tuple(sorted((k, str(v)) for k, v in options.items() if k in _LIBPQ_ENV)),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        scheme = urlparse(url).scheme
        if scheme not in ("postgres", "postgresql"):
            raise BackupError(f"The target must be a postgres:// URL; got a {scheme or 'schemeless'} URL.")
        return cls.from_settings(dj_database_url.parse(url))

    @property
    def label(self) -> str:
        """user@host:port/name, without the password."""
        where = f"{self.host or 'local socket'}{':' + self.port if self.port else ''}"
        return f"{self.user + '@' if self.user else ''}{where}/{self.name}"

    def environ(self) -> dict[str, str]:
        """The environment of pg_dump / pg_restore: libpq reads the connection (and the password) from it.
        Other PG* variables (PGPASSFILE, PGSSLROOTCERT…) pass through, as they do for psycopg2's libpq."""
        env = dict(os.environ)
        pairs = {"PGDATABASE": self.name, "PGHOST": self.host, "PGPORT": self.port, "PGUSER": self.user,
                 "PGPASSWORD": self.password}
        pairs.update({_LIBPQ_ENV[k]: v for k, v in self.options})
        env.update({k: v for k, v in pairs.items() if v})
        return env

    def connect(self):
        kwargs = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user,
                  "password": self.password, **dict(self.options)}
        try:
            return psycopg2.connect(**{k: v for k, v in kwargs.items() if v})
        except psycopg2.OperationalError as exc:
            detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            hint = ""
            if "does not exist" in detail and "database" in detail:
                hint = f" Create it first (empty), e.g.: createdb -h {self.host or 'localhost'} -U {self.user or '$USER'} {self.name}"
            raise BackupError(f"Cannot connect to {self.label}: {detail}.{hint}") from exc


# --- reading a database ---------------------------------------------------------------------------------


def _table_key(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def _tables(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        """
        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY 1, 2
        """
    )
    return list(cursor.fetchall())


def _user_relations(cursor) -> int:
    """Tables, views, sequences… anywhere but the system schemas: 0 for an empty database."""
    cursor.execute(
        """
        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        """
    )
    return cursor.fetchone()[0]


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for schema, table in _tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[_table_key(schema, table)] = cursor.fetchone()[0]
    return counts


def migration_state(cursor, tables: dict[str, int]) -> dict[str, str]:
    """The last applied migration of every app (by order of application)."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, applied DESC, id DESC")
    return dict(cursor.fetchall())


def column_digests(connection, tables: dict[str, int]) -> dict[str, dict[str, Any]]:
    """SHA-256 over ``DIGESTS``' columns of every row, in primary-key order (read through a server cursor)."""
    out = {}
    for table, columns in DIGESTS.items():
        if table not in tables:
            continue
        digest, rows = hashlib.sha256(), 0
        with connection.cursor(name=f"digest_{table}") as cursor:
            cursor.itersize = 10_000
            cursor.execute(
                sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
                    sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table), sql.Identifier(columns[0])
                )
            )
            for row in cursor:
                digest.update(("\t".join("" if v is None else str(v) for v in row) + "\n").encode())
                rows += 1
        out[table] = {"columns": list(columns), "rows": rows, "sha256": digest.hexdigest()}
    return out


# --- files ----------------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Hands a file to tarfile while hashing exactly what goes into the archive."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _archive_media(root: Path, archive: Path) -> dict[str, dict[str, Any]]:
    files = {}
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for path in _media_files(root):
            name = path.relative_to(root).as_posix()
            with open(path, "rb") as handle:
                info = tar.gettarinfo(arcname=name, fileobj=handle)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                reader = _HashingReader(handle)
                tar.addfile(info, reader)
            files[name] = {"sha256": reader.digest.hexdigest(), "bytes": info.size}
    return files


def _is_empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not on PATH: install the PostgreSQL client (e.g. apt-get install postgresql-client).")
    return path


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603 — fixed argv
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


# --- backup ---------------------------------------------------------------------------------------------


def backup_create(*, output: Path, database: Database, media_root: Path) -> dict[str, Any]:
    """Write a backup folder at ``output`` (new or empty) and return its manifest.

    The row counts, migration state and digests are read in the snapshot that pg_dump dumps
    (``pg_export_snapshot`` + ``pg_dump --snapshot``), so they describe exactly the dump even while the
    portal keeps writing. Files are archived after the dump: a file uploaded meanwhile is in the archive
    without a row pointing at it, which is harmless.
    """
    output, media_root = output.resolve(), media_root.resolve()
    if output == media_root or media_root in output.parents:
        raise BackupError(f"The backup folder {output} must not be inside PRIVATE_MEDIA_ROOT ({media_root}).")
    if not _is_empty_dir(output):
        raise BackupError(f"The backup folder {output} is not empty; give a new folder.")
    pg_dump = _tool("pg_dump")
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603
    output.mkdir(parents=True, exist_ok=True)
    output.chmod(0o700)  # confidential company data, password hashes and TOTP secrets: the owner only

    connection = database.connect()
    try:
        connection.set_session(isolation_level=extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_database(), current_setting('server_version')")
            snapshot, name, server_version = cursor.fetchone()
            counts = row_counts(cursor)
            migrations = migration_state(cursor, counts)
        digests = column_digests(connection, counts)
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={output / DUMP_NAME}"], database.environ())
    finally:
        connection.close()

    files = _archive_media(media_root, output / ARCHIVE_NAME)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"name": name, "host": database.host, "port": database.port, "user": database.user,
                     "server_version": server_version},
        "pg_dump_version": version,
        "migrations": migrations,
        "row_counts": counts,
        "digests": digests,
        "dump": {"file": DUMP_NAME, "sha256": sha256_file(output / DUMP_NAME), "bytes": (output / DUMP_NAME).stat().st_size},
        "media": {
            "root": str(media_root),
            "archive": ARCHIVE_NAME,
            "sha256": sha256_file(output / ARCHIVE_NAME),
            "bytes": (output / ARCHIVE_NAME).stat().st_size,
            "files": files,
        },
    }
    (output / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    sums = "".join(f"{sha256_file(output / n)}  {n}\n" for n in (DUMP_NAME, ARCHIVE_NAME, MANIFEST_NAME))
    (output / SUMS_NAME).write_text(sums)
    for name in (DUMP_NAME, ARCHIVE_NAME, MANIFEST_NAME, SUMS_NAME):
        (output / name).chmod(0o600)
    return manifest


# --- verify ---------------------------------------------------------------------------------------------


def _safe_member(member: tarfile.TarInfo) -> bool:
    path = PurePosixPath(member.name)
    return (member.isfile() or member.isdir()) and not path.is_absolute() and ".." not in path.parts


def backup_verify(folder: Path) -> dict[str, Any]:
    """Check every checksum of a backup folder without writing anything; return its manifest.

    Raises ``BackupError`` naming each mismatch: a changed, missing or extra file in the archive, a dump or
    archive whose SHA-256 is not the manifest's, a manifest that is not the one ``SHA256SUMS`` names.
    """
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(f"{folder} is not a backup folder: {MANIFEST_NAME} is missing.")
    problems = []
    sums_path = folder / SUMS_NAME
    if sums_path.is_file():
        listed = dict(reversed(line.split(maxsplit=1)) for line in sums_path.read_text().splitlines() if line.strip())
        if listed.get(MANIFEST_NAME) != sha256_file(manifest_path):
            problems.append(f"{MANIFEST_NAME} does not match its SHA-256 in {SUMS_NAME}")
    try:
        manifest = json.loads(manifest_path.read_text())
        dump, media = manifest["dump"], manifest["media"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{manifest_path} is not a readable manifest ({exc}).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_path} has format {manifest.get('format')!r}; this version reads format {FORMAT}.")

    for name, expected in ((DUMP_NAME, dump["sha256"]), (ARCHIVE_NAME, media["sha256"])):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif sha256_file(path) != expected:
            problems.append(f"{name} does not match its SHA-256 in the manifest")
    archive = folder / ARCHIVE_NAME
    if archive.is_file():
        problems += _archive_problems(archive, media["files"])
    if problems:
        raise BackupError(f"Backup {folder} refused, nothing was restored: " + "; ".join(problems[:20])
                          + (f"; and {len(problems) - 20} more" if len(problems) > 20 else "") + ".")
    return manifest


def _archive_problems(archive: Path, expected: dict[str, dict[str, Any]]) -> list[str]:
    problems, seen = [], set()
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                if not _safe_member(member):
                    problems.append(f"the archive holds {member.name!r}, which is not a plain file under the folder")
                    continue
                if member.isdir():
                    continue
                seen.add(member.name)
                digest = hashlib.sha256()
                handle = tar.extractfile(member)
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                if member.name not in expected:
                    problems.append(f"file {member.name} is in the archive but not in the manifest")
                elif digest.hexdigest() != expected[member.name]["sha256"]:
                    problems.append(f"file {member.name} does not match its SHA-256 in the manifest")
    except tarfile.TarError as exc:
        return [f"{ARCHIVE_NAME} cannot be read ({exc})"]
    problems += [f"file {name} is in the manifest but not in the archive" for name in sorted(set(expected) - seen)]
    return problems


# --- restore --------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    tables: int
    rows: int
    files: int
    bytes: int
    problems: list[str]


def backup_restore(*, folder: Path, database: Database, media_root: Path, force: bool = False) -> RestoreResult:
    """Restore a verified backup into ``database`` and ``media_root``, then compare both with the manifest.

    Refused before anything is written: a checksum mismatch (``backup_verify``), a target database that
    holds any table, view or sequence, a non-empty ``media_root`` — the last two unless ``force``, which
    drops and replaces the dumped objects (``pg_restore --clean``) and writes the files over existing ones.
    ``pg_restore`` runs in one transaction: a failed restore leaves the database as it was. Objects are
    owned by the target URL's role; the source's owners and grants are not restored.
    """
    folder, media_root = folder.resolve(), media_root.resolve()
    manifest = backup_verify(folder)
    connection = database.connect()
    try:
        with connection.cursor() as cursor:
            existing = _user_relations(cursor)
    finally:
        connection.close()
    if existing and not force:
        raise BackupError(
            f"The target database {database.label} is not empty ({existing} tables, views or sequences); restore "
            "into a new empty database, or add --force to drop and replace what the backup holds."
        )
    if not _is_empty_dir(media_root) and not force:
        raise BackupError(
            f"The target folder {media_root} (PRIVATE_MEDIA_ROOT) is not empty; point PRIVATE_MEDIA_ROOT (or "
            "--media-root) at an empty folder, or add --force to write the backup's files over it."
        )
    if media_root.exists() and not media_root.is_dir():
        raise BackupError(f"The target {media_root} is not a folder.")

    argv = [_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
            f"--dbname={database.name}"]
    if existing:
        argv[1:1] = ["--clean", "--if-exists"]
    _run([*argv, str(folder / DUMP_NAME)], database.environ())

    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / ARCHIVE_NAME, "r:") as tar:
        tar.extractall(media_root, filter="data")

    return _compare(manifest, database, media_root)


def _compare(manifest: dict[str, Any], database: Database, media_root: Path) -> RestoreResult:
    problems = []
    connection = database.connect()
    try:
        connection.set_session(isolation_level=extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        with connection.cursor() as cursor:
            counts = row_counts(cursor)
            migrations = migration_state(cursor, counts)
        digests = column_digests(connection, counts)
    finally:
        connection.close()

    expected = manifest["row_counts"]
    for table in sorted(set(expected) | set(counts)):
        if table not in counts:
            problems.append(f"table {table} is missing")
        elif table not in expected:
            problems.append(f"table {table} is not in the backup")
        elif counts[table] != expected[table]:
            problems.append(f"table {table} has {counts[table]} rows, the backup {expected[table]}")
    if migrations != manifest["migrations"]:
        problems.append("the applied migrations differ from the backup's")
    for table, wanted in manifest.get("digests", {}).items():
        if digests.get(table) != wanted:
            problems.append(f"the digest of {table} ({', '.join(wanted['columns'])}) differs from the backup's")

    files = manifest["media"]["files"]
    for name, wanted in sorted(files.items()):
        path = media_root / name
        if not path.is_file():
            problems.append(f"file {name} is missing")
        elif sha256_file(path) != wanted["sha256"]:
            problems.append(f"file {name} does not match its SHA-256")
    return RestoreResult(
        manifest=manifest,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(files),
        bytes=sum(f["bytes"] for f in files.values()),
        problems=problems,
    )


def code_migrations_note(manifest: dict[str, Any]) -> str:
    """How the backup's migrations relate to this code's: empty when they are the same."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = dict(loader.graph.leaf_nodes())
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"].items()
               if (app, name) not in loader.graph.nodes]
    if unknown:
        return (f"the backup has migrations this code does not know ({', '.join(sorted(unknown)[:5])}): "
                "it comes from a newer SIINas; run that version")
    behind = sorted(app for app, name in leaves.items() if manifest["migrations"].get(app) != name)
    if behind:
        return f"this code has newer migrations for {', '.join(behind)}: run manage.py migrate"
    return ""
