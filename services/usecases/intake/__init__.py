"""The intake: Kafka → validated, lifecycle-checked events in the event store, per batch."""
