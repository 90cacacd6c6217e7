"""Optional error reporting to Sentry (or a Sentry-compatible server such as GlitchTip).

Called from settings only when ``SENTRY_DSN`` is set; otherwise sentry_sdk is never imported. No
personal data is sent (``send_default_pii=False``: no user, cookies or client address), and neither
request bodies nor a frame's local variables, which hold company data that is confidential by law; no
performance tracing. Each event carries the environment (``SIINAS_ENV``) and the request id
(RequestIdMiddleware). ``SENTRY_RELEASE`` in the environment, if set, names the release.
"""

from __future__ import annotations


def init_sentry(*, dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=None,
    )
