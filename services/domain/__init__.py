"""The pure domain: the Household aggregate, its lifecycle rules and reason codes. No I/O here."""
