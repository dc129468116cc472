"""What the reliability tests share: the allowed outcomes, and how many cases a test tries."""
from __future__ import annotations

import contextlib
import io
import re

from hypothesis import settings

from playground import cli


def examples(share: float) -> int:
    """A test's number of cases: ``share`` of the profile's ``max_examples`` (at least 3), so the
    slow properties try fewer cases than the fast ones and ``long`` scales them all."""
    return max(3, int(settings.default.max_examples * share))


MAX_SENTENCE = 2000  # characters: several problems of an experiment, each named, fit; a library's dump does not


def assert_sentence(text: str) -> None:
    """The project's error: one complete line of prose, never a traceback or an empty message."""
    assert text and "\n" not in text.strip(), f"not one line: {text!r}"
    assert len(text) <= MAX_SENTENCE, f"a page, not a sentence ({len(text):,} characters): {text[:300]!r}…"
    assert "Traceback" not in text and not re.search(r"\bFile \"", text), f"a traceback: {text!r}"
    assert text.rstrip().endswith((".", "?", ")")), f"not a sentence: {text!r}"


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``playground ARGV`` in this process: (exit status, stdout, stderr). argparse's own exits
    (--help, a bad option) raise SystemExit, which a real process turns into its status."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()
