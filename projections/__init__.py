"""Read models built from the event store: one module per projection, and their runner."""
