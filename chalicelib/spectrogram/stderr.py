"""What C libraries print to the process's stderr while a recording is decoded.

libmpg123 (inside libsndfile) writes a line for each MP3 frame it finds damaged, straight
to file descriptor 2, past ``sys.stderr`` and logging. The CLI and the worker collect those
lines around a render and report them once, with the recording's name.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collected_stderr(lines: list[str]) -> Iterator[None]:
    """Append to ``lines`` what the process writes to its stderr meanwhile, a line an item.

    The whole process's stderr is redirected: use it where one render runs at a time (the
    CLI; a Lambda invocation).
    """
    sys.stderr.flush()
    kept = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(kept, 2)
            os.close(kept)
            captured.seek(0)
            lines.extend(captured.read().decode(errors="replace").splitlines())


def tally(lines: list[str]) -> dict[str, int]:
    """Each distinct non-blank line, in the order first seen, with how often it came."""
    return dict(Counter(line for line in lines if line.strip()))
