"""The intake's tables: positions, accepted event ids, absorbed repeats, rejections (the
rejected topic's outbox). Created with the event store, read by many."""

INTAKE_SCHEMA = """
CREATE TABLE IF NOT EXISTS intake_positions (
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);
CREATE TABLE IF NOT EXISTS intake_accepted (
    event_id uuid PRIMARY KEY,
    household_id text NOT NULL,
    event_type text NOT NULL,
    source_system text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    accepted_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS intake_duplicates (
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    event_id uuid NOT NULL,
    seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, "offset")
);
CREATE TABLE IF NOT EXISTS intake_rejected (
    rejection_id bigserial PRIMARY KEY,
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    message_key bytea,
    message_value bytea,
    headers jsonb NOT NULL DEFAULT '[]',
    reason_code text NOT NULL,
    reason text NOT NULL,
    event_id uuid,
    event_type text,
    household_id text,
    rejected_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    UNIQUE (topic, partition, "offset")
);
CREATE INDEX IF NOT EXISTS intake_rejected_unpublished
    ON intake_rejected (rejection_id) WHERE published_at IS NULL;
-- The SHA-256 of the accepted bytes: a repeat is absorbed only if it is the same message.
ALTER TABLE intake_accepted ADD COLUMN IF NOT EXISTS value_sha256 bytea;
-- Whose rejection it is: it goes back to that producer only (its own rejected topic).
ALTER TABLE intake_rejected ADD COLUMN IF NOT EXISTS source_system text;
CREATE INDEX IF NOT EXISTS intake_rejected_source ON intake_rejected (source_system, rejection_id);
-- Which worker last stored a batch of the partition (for operators, and the tests).
ALTER TABLE intake_positions ADD COLUMN IF NOT EXISTS updated_by text;
-- The outbox's lease: one worker publishes a rejection; another takes it if that one dies.
ALTER TABLE intake_rejected ADD COLUMN IF NOT EXISTS publishing_since timestamptz;
"""
