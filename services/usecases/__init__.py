"""The use cases: what the command line, the Kafka consumer and the HTTP API all call — load
through the adapters, let the domain decide, save."""
