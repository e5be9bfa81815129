"""The adapters: everything that talks to PostgreSQL, Kafka, files and keys."""
