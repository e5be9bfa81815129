"""`make demo` serves the web app at its end; CI=true and SERVE=0 end after the summary."""

from services.devtools.demo_web import should_serve


def test_make_demo_serves_unless_on_ci_or_told_not_to() -> None:
    assert should_serve({"DIXIAN_DEMO_SERVE": "1"})
    assert not should_serve({"DIXIAN_DEMO_SERVE": "0"})
    assert not should_serve({"DIXIAN_DEMO_SERVE": "1", "CI": "true"})
    assert not should_serve({})  # `dixian demo` alone: the summary, as before
    assert should_serve({}, asked=True)
    assert not should_serve({"CI": "true"}, asked=True)
