"""When the service is ready for traffic."""

import os
from typing import Callable, Mapping
{% if values.database == 'postgres' %}


def readiness(env: Mapping[str, str] = os.environ) -> Callable[[], bool]:
    """Ready when PostgreSQL answers SELECT 1. The connection comes from the DATABASE_* variables
    that score.yaml maps from the platform's database outputs (the password is a Secret reference)."""
    import psycopg  # imported here, so that tests with an injected check need no driver

    def is_ready() -> bool:
        try:
            with psycopg.connect(
                host=env.get("DATABASE_HOST"),
                port=int(env.get("DATABASE_PORT", "5432")),
                dbname=env.get("DATABASE_NAME"),
                user=env.get("DATABASE_USER"),
                password=env.get("DATABASE_PASSWORD"),
                connect_timeout=2,
            ) as connection:
                connection.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    return is_ready
{% else %}


def readiness(env: Mapping[str, str] = os.environ) -> Callable[[], bool]:
    """No dependencies to wait for: ready as soon as the process serves requests."""
    return lambda: True
{% endif %}
