"""The local stage's token key: made once, private to its owner, kept out of git, reused."""

from __future__ import annotations

import stat
import subprocess

import pytest

from infra.local.__main__ import ROOT, TOKEN_KEY_FILE
from infra.local.token_key import token_key


def test_the_first_run_makes_a_random_key_only_its_owner_may_read(tmp_path):
    path = tmp_path / "state" / "auth-secret"
    key = token_key(path)
    assert len(key) >= 43  # 32 random bytes, base64url
    assert path.read_text() == key + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(path.parent.iterdir()) == [path]  # no draft left behind
    assert token_key(tmp_path / "elsewhere") != key


def test_later_runs_reuse_the_key(tmp_path):
    path = tmp_path / "auth-secret"
    key = token_key(path)
    written = path.stat().st_mtime_ns
    assert token_key(path) == key
    assert path.stat().st_mtime_ns == written


def test_an_empty_key_file_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "auth-secret"
    path.write_text("\n")
    with pytest.raises(SystemExit, match="delete it and start again"):
        token_key(path)


def test_git_ignores_the_key_file():
    relative = TOKEN_KEY_FILE.relative_to(ROOT)
    ignored = subprocess.run(["git", "check-ignore", "--quiet", str(relative)], cwd=ROOT)
    assert ignored.returncode == 0, f"{relative} is not ignored by git"
