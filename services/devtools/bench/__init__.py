"""`make bench`: intake, rebuild and query figures against the naive baseline."""
