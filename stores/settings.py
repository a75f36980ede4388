"""The one database setting: AMMA_DATABASE_URL, a SQLAlchemy-style URL.

Unset, conversations stay in a SQLite file beside the project (no server to
run); set it to use PostgreSQL, e.g. postgresql://postgres@127.0.0.1:5432/test.
Kept free of Rasa imports so the retention command starts in a second.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url

DATABASE_URL_ENV = "AMMA_DATABASE_URL"
# endpoints.yml's `db` for the embedded store, relative to the working directory
# the Rasa server runs in (the project folder).
DEFAULT_SQLITE_FILE = "amma-conversations.db"
# The dialects Rasa's SQLTrackerStore is tested with.
SUPPORTED = ("sqlite", "postgresql")


class DatabaseSettingError(ValueError):
    """AMMA_DATABASE_URL holds something we cannot use; the message says what to set."""


def database_url(sqlite_file: str | Path = DEFAULT_SQLITE_FILE, environ: dict[str, str] | None = None) -> URL:
    """The database conversations live in: AMMA_DATABASE_URL, or else the SQLite file."""
    value = (os.environ if environ is None else environ).get(DATABASE_URL_ENV, "").strip()
    if not value:
        return URL.create("sqlite", database=str(sqlite_file))
    try:
        url = make_url(value)
    except Exception as error:  # SQLAlchemy raises ArgumentError with the bad text in it
        raise DatabaseSettingError(
            f"{DATABASE_URL_ENV} is not a database URL ({error}); "
            "expected e.g. postgresql://user:password@host:5432/dbname, or unset it for the SQLite file"
        ) from None
    # "postgres://" is what many hosts hand out; SQLAlchemy 1.4 only knows "postgresql".
    backend = "postgresql" if url.get_backend_name() == "postgres" else url.get_backend_name()
    if backend not in SUPPORTED:
        raise DatabaseSettingError(
            f"{DATABASE_URL_ENV} uses {backend!r}; Amma supports {', '.join(SUPPORTED)} "
            "(e.g. postgresql://user:password@host:5432/dbname)"
        )
    if backend == "postgresql":
        url = url.set(drivername="postgresql")
        if not url.database:
            raise DatabaseSettingError(f"{DATABASE_URL_ENV} names no database: add /dbname after the host")
    return url


def describe(url: URL) -> str:
    """The URL without its password, for logs and messages."""
    return url.render_as_string(hide_password=True)
