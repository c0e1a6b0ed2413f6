"""The local stage's token key: made on the first ``make run``, kept for the next ones.

Kept in a file only its owner may read, in the gitignored ``.local-cloud/``, so that tokens
issued before a restart still work after it, and the key never reaches git.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_BYTES = 32


def token_key(path: Path) -> str:
    """The key stored at ``path``, after writing a new random one there if there is none."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.new")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(KEY_BYTES) + "\n")
        try:
            # A link never replaces a file: of two stacks starting at once, one key wins.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if not key:
        raise SystemExit(f"the token key file {path} is empty: delete it and start again")
    return key
