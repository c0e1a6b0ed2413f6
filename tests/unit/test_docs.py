"""The README stays a front door, and the docs stay true to the repository they describe."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
README_MAX_LINES = 200

# The background documents the project was started from live outside the repository: a
# reader of the repository cannot open them, so nothing may point to them.
OUTSIDE_DOCUMENT = re.compile(r"\b(?:CONTRACT|UI|FACTS|STYLE|FORMATS)\.md\b|\.\./shared\b")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
# Folders whose every module the architecture's module map names.
MAPPED_PYTHON = ("chalicelib/", "functions/", "infra/", "bench/", "layers/")


def tracked(*patterns: str) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *patterns], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return listed.stdout.splitlines()


def readable_text(path: str) -> str | None:
    try:
        return (ROOT / path).read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError):
        return None


def anchor(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces -."""
    words = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return words.replace(" ", "-")


def test_the_readme_is_a_front_door_of_at_most_200_lines():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines: move reference material into docs/"
    )


def test_no_tracked_file_cites_a_document_outside_the_repository():
    citations = [
        f"{path}:{number}: {line.strip()}"
        for path in tracked()
        if (text := readable_text(path)) is not None
        for number, line in enumerate(text.splitlines(), start=1)
        if OUTSIDE_DOCUMENT.search(line)
    ]
    assert citations == [], "point these to the docs/ page that now says it:\n" + "\n".join(
        citations
    )


def test_every_relative_link_in_the_docs_leads_somewhere():
    broken = []
    for page in tracked("*.md", ":!tests/fixtures/**"):
        source = ROOT / page
        prose = FENCE.sub("", source.read_text())
        for target in LINK.findall(prose):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, fragment = target.partition("#")
            linked = (source.parent / path).resolve() if path else source
            if not linked.exists():
                broken.append(f"{page}: {target} (no such file)")
            elif fragment and linked.suffix == ".md":
                headings = HEADING.findall(FENCE.sub("", linked.read_text()))
                if fragment not in {anchor(heading) for heading in headings}:
                    broken.append(f"{page}: {target} (no such heading)")
    assert broken == []


def test_the_module_map_names_every_module_and_only_modules_that_exist():
    text = ARCHITECTURE.read_text()
    module_map = text[text.index("## Module map") :]
    module_map = module_map[: module_map.index("\n## ")]
    named = re.findall(r"^\| `([^`]+)` \|", module_map, re.MULTILINE)
    everything = tracked()

    modules = ["app.py", *tracked(*(f"{folder}*.py" for folder in MAPPED_PYTHON))]
    frontend = tracked("frontend/src", "frontend/e2e")
    folders = sorted(
        {"/".join(path.split("/")[:3]) + "/" for path in frontend if path.count("/") > 2}
    )
    files = [path for path in frontend if path.count("/") == 2 and ".test." not in path]
    unnamed = [module for module in [*modules, *folders, *files] if module not in named]
    assert unnamed == [], "add a line to the module map in docs/architecture.md for each"

    gone = [path for path in named if not any(f == path or f.startswith(path) for f in everything)]
    assert gone == [], "the module map in docs/architecture.md names what is not tracked"
