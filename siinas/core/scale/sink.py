"""Writing millions of rows fast: PostgreSQL COPY, or bulk_create elsewhere (the SQLite test database).

The generator hands each table's rows over as tuples of plain values in a declared column order,
with the primary key assigned by the generator (so rows of other tables can point at them before
anything is written). On PostgreSQL each table streams into ``COPY … FROM STDIN (FORMAT csv)`` in
chunks of a few megabytes; on any other database the same tuples become model instances saved with
``bulk_create``. Sequences are moved past the assigned keys at the end.
"""

from __future__ import annotations

import csv
import io
import json

from django.core.management.color import no_style
from django.db import connection, models

NULL = r"\N"
CHUNK_BYTES = 8 * 1024 * 1024


class RawJson(str):
    """A JSON document already serialised (the version snapshot, hashed in this exact form)."""


EMPTY_JSON = RawJson("{}")


class Table:
    """The rows of one model, in the column order given by ``fields`` (attnames, ``id`` first)."""

    def __init__(self, sink: Sink, model: type[models.Model], fields: tuple[str, ...]):
        self.sink = sink
        self.model = model
        self.fields = fields
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.columns = [by_attname[name].column for name in fields]
        self.json_at = [i for i, name in enumerate(fields) if isinstance(by_attname[name], models.JSONField)]
        self.count = 0
        self.next_id = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self._pending: list[models.Model] = []

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, row: tuple) -> None:
        self.count += 1
        if self.sink.copy:
            if self.json_at:
                row = list(row)
                for i in self.json_at:
                    value = row[i]
                    row[i] = value if isinstance(value, RawJson) else json.dumps(value, ensure_ascii=False)
            self._writer.writerow([NULL if v is None else v for v in row])
            if self._buffer.tell() > CHUNK_BYTES:
                self.flush()
        else:
            values = dict(zip(self.fields, row, strict=True))
            for i in self.json_at:
                if isinstance(row[i], RawJson):
                    values[self.fields[i]] = json.loads(row[i])
            self._pending.append(self.model(**values))
            if len(self._pending) >= 2000:
                self.flush()

    def flush(self) -> None:
        if self.sink.copy:
            if not self._buffer.tell():
                return
            self._buffer.seek(0)
            table = connection.ops.quote_name(self.model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", self._buffer
                )
            self._buffer = io.StringIO()
            self._writer = csv.writer(self._buffer, lineterminator="\n")
        elif self._pending:
            self.model.objects.bulk_create(self._pending, batch_size=500)
            self._pending = []


class Sink:
    """Every table the generator writes, by model."""

    def __init__(self, *, copy: bool | None = None):
        self.copy = connection.vendor == "postgresql" if copy is None else copy
        self.tables: dict[type[models.Model], Table] = {}

    def table(self, model: type[models.Model], fields: tuple[str, ...]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(self, model, fields)
        return self.tables[model]

    def flush(self, *models_: type[models.Model]) -> None:
        for model in models_ or list(self.tables):
            if model in self.tables:
                self.tables[model].flush()

    def finish(self) -> None:
        """Write what is left and move every sequence past the keys assigned here."""
        self.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def counts(self) -> dict[str, int]:
        return {model._meta.label: table.count for model, table in self.tables.items()}
