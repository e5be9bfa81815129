"""The compliance engine of the rectification campaign (专项整治): the rules R1.1 … R8.1 and
the favoritism checks as pure functions of households' events and a date, and the
suspected-problem ledger as an event-sourced aggregate. No I/O here."""
