"""collectstatic without what no page uses: django-ninja ships ReDoc (the API docs page is Swagger UI) and
the 1.9 MB source map of the Swagger UI bundle (which does not reference it). Compressing them took half of
a production collectstatic (docs/operations.md)."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class SiinasStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "redoc.standalone.js*", "swagger-ui-bundle.js.map"]
