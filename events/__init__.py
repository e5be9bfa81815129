"""The public event contract: the envelope, one pydantic model per event type, code tables."""
