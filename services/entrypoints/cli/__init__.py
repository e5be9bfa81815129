"""`dixian`: the command line — run the services, operate, inspect, keep the ledgers.

Every error is one line on stderr, `CODE: what to do`, with exit status 1 (not found, or a
check that failed) or 2 (a usage error); 0 means done. No traceback reaches a person
(DIXIAN_LOG_LEVEL=DEBUG logs it for a developer)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

import psycopg
import psycopg.errors
import psycopg_pool
from aiokafka.errors import KafkaConnectionError, KafkaError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError

from services.entrypoints.cli.audit import add_audit_parser
from services.entrypoints.cli.common import USAGE, CommandError, kafka_unreachable, set_zone
from services.entrypoints.cli.compliance import add_compliance_parser
from services.entrypoints.cli.devtools import add_devtools_parsers
from services.entrypoints.cli.inspecting import add_inspecting_parsers
from services.entrypoints.cli.ledgers import add_ledgers_parsers
from services.entrypoints.cli.national import add_national_parsers
from services.entrypoints.cli.operating import add_operating_parsers
from services.entrypoints.cli.producers import add_producers_parser
from services.entrypoints.cli.serving import add_serving_parser
from services.entrypoints.cli.users import add_users_parser
from services.entrypoints.logs import configure as configure_logging
from services.settings import Settings

log = logging.getLogger("dixian.cli")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dixian", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    add_operating_parsers(sub)
    add_inspecting_parsers(sub)
    add_audit_parser(sub)
    add_compliance_parser(sub)
    add_ledgers_parsers(sub)
    add_national_parsers(sub)
    add_producers_parser(sub)
    add_devtools_parsers(sub)
    add_users_parser(sub)
    add_serving_parser(sub)
    return p


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as e:
        where = "; ".join(
            f"DIXIAN_{'__'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}"
            for err in e.errors(include_url=False, include_input=False)
        )
        raise CommandError("SETTINGS_INVALID", where, USAGE) from None


def _root(error: BaseException) -> BaseException:
    while error.__cause__ is not None:
        error = error.__cause__
    return error


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _explain(error: BaseException) -> CommandError:
    """The one line a person reads for an error no command foresaw."""
    if isinstance(error, CommandError):
        return error
    if isinstance(
        error,
        psycopg.OperationalError | psycopg_pool.PoolTimeout | StoreOperationalError,
    ):
        return CommandError(
            "DATABASE_UNREACHABLE",
            f"PostgreSQL does not answer ({_first_line(error)}); check DIXIAN_PG_URL and that "
            "the server runs",
        )
    if isinstance(error, KafkaConnectionError | asyncio.TimeoutError | TimeoutError | KafkaError):
        return kafka_unreachable(error)
    cause = _root(error)
    if isinstance(cause, psycopg.errors.UndefinedTable):
        return CommandError(
            "TABLES_MISSING",
            f"{_first_line(cause)}: the projections have not run on this database yet; "
            "start them (`dixian run --no-intake`) or create the tables "
            "(`dixian projections status`)",
        )
    if isinstance(error, PersistenceError | psycopg.Error):
        return CommandError("DATABASE_ERROR", f"{type(cause).__name__}: {_first_line(cause)}")
    if isinstance(error, FileNotFoundError):
        return CommandError("FILE_NOT_FOUND", f"no such file: {error.filename}")
    if isinstance(error, PermissionError | IsADirectoryError):
        return CommandError("FILE_NOT_READABLE", f"{error.filename}: {error.strerror}")
    return CommandError(
        "INTERNAL_ERROR",
        f"{type(error).__name__}: {error} (report it; DIXIAN_LOG_LEVEL=DEBUG logs the traceback)",
    )


def main(argv: list[str] | None = None) -> int:
    # A command's own line says what went wrong: the libraries' retries would only repeat it.
    configure_logging("WARNING", "text", libraries="CRITICAL")
    try:
        args = parser().parse_args(argv)
        settings = _settings()
        configure_logging(
            "DEBUG" if settings.log_level == "DEBUG" else "WARNING",
            "text",
            settings.display_timezone,
            libraries="CRITICAL",
        )
        set_zone(settings.zone())
        return int(args.func(settings, args))
    except SystemExit as e:  # argparse: usage errors (2) and --help (0)
        return e.code if isinstance(e.code, int) else USAGE
    except BrokenPipeError:
        # The reader went away (`| head`): what it wanted it has; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("INTERRUPTED: stopped by the user", file=sys.stderr)
        return 130
    except BaseException as e:
        log.debug("the command failed", exc_info=True)
        error = _explain(e)
        print(f"{error.code}: {error.detail}", file=sys.stderr)
        return error.status


if __name__ == "__main__":
    sys.exit(main())
