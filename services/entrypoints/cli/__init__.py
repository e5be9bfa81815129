"""`dixian`: the command line — run the services, operate, inspect, keep the ledgers."""

from __future__ import annotations

import argparse
import logging
import sys

from services.entrypoints.cli.compliance import add_compliance_parser
from services.entrypoints.cli.devtools import add_devtools_parsers
from services.entrypoints.cli.inspecting import add_inspecting_parsers
from services.entrypoints.cli.operating import add_operating_parsers
from services.entrypoints.cli.serving import add_serving_parser
from services.entrypoints.cli.users import add_users_parser
from services.settings import Settings


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dixian", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    add_operating_parsers(sub)
    add_inspecting_parsers(sub)
    add_compliance_parser(sub)
    add_devtools_parsers(sub)
    add_users_parser(sub)
    add_serving_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    args = parser().parse_args(argv)
    return int(args.func(Settings(), args))


if __name__ == "__main__":
    sys.exit(main())
