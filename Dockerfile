# SIINas image: one image for web (gunicorn sync workers), worker and beat.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    SIINAS_VAR_DIR=/var/lib/siinas

# WeasyPrint needs Pango; gettext compiles translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .
COPY . .
RUN useradd --system --home /app siinas \
 && mkdir -p /var/lib/siinas/private /var/lib/siinas/staticfiles \
 && SIINAS_ENV=production ALLOWED_HOSTS=build SECRET_KEY=build-only-not-a-secret-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    python manage.py collectstatic --noinput \
 && chown -R siinas /var/lib/siinas
USER siinas

EXPOSE 8000
# Sync workers: measured 3–5x faster than an ASGI server for these sync views on 2 cores.
CMD ["gunicorn", "siinas.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "sync", "--access-logfile", "-"]
