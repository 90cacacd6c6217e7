"""Demo data of the analisis app (load_demo): each part of the app adds its seed here."""

from accounts.demo import DemoCast


def seed(cast: DemoCast) -> None:
    from analisis.pohon import demo as pohon

    pohon.seed(cast)
