"""The HTTP API: accounts, roles and scope; households, problems, ledgers, audit."""
