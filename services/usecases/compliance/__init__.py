"""The compliance engine's adapters: the sweep over the event store, the ledger's commands,
the exports of the ledgers and reports."""
