"""Every event type is documented, with its producers."""

from pathlib import Path

from events.catalog import EVENT_TYPES

DOC = Path(__file__).parents[2] / "docs" / "events.md"


def test_every_event_type_has_a_row_in_the_events_doc() -> None:
    text = DOC.read_text()
    assert [t for t in EVENT_TYPES if f"| `{t}` |" not in text] == []
