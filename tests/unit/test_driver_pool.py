"""The lookup's asyncpg pool connects where the engine does: its arguments come from
SQLAlchemy's own reading of the URL (service/driver_pool.py)."""

from __future__ import annotations

from service.db import make_engine
from service.driver_pool import connect_kwargs


def test_adapter_only_parameters_are_not_passed_to_asyncpg() -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:5432/x?prepared_statement_cache_size=0"
    kwargs = connect_kwargs(make_engine(url))
    assert "prepared_statement_cache_size" not in kwargs
    assert kwargs == {"host": "127.0.0.1", "port": 5432, "user": "postgres", "database": "x"}


def test_multi_host_failover_urls_are_split_into_hosts_and_ports() -> None:
    url = "postgresql+asyncpg://postgres@/x?host=10.0.0.1:5432&host=10.0.0.2:5433"
    kwargs = connect_kwargs(make_engine(url))
    assert kwargs["host"] == ["10.0.0.1", "10.0.0.2"]
    assert kwargs["port"] == [5432, 5433]


def test_password_and_ssl_query_pass_through() -> None:
    kwargs = connect_kwargs(make_engine("postgresql+asyncpg://u:p%40w@h:5433/x?ssl=require"))
    assert (kwargs["password"], kwargs["ssl"], kwargs["port"]) == ("p@w", "require", 5433)
