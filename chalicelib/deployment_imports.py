"""A deployment's detector output in one drop: result files matched to a project's
recordings by the audio files they name.

A result file names its recordings in a column (BirdNET's combined CSV: File; a Raven or
BirdNET selection table: Begin File or Begin Path), row by row, or by its own name
(``dawn.BirdNET.selection.table.txt`` is about ``dawn``). A name matches the project's
recording of the same stem: folders (``/`` or ``\\``) and the extension left out, letter
case as written. Two recordings of the project with the stem a file names are told apart by
the whole name (``dawn.wav`` vs ``dawn.flac``) when the file gives it; otherwise the file is
refused: nothing says which was meant.

Each file is one import: every box is checked against its recording before any set is
written. On each recording it names, the file's boxes replace the boxes a file of the same
name (``attributes["Imported from"]``) and the same ``source`` brought before, and nothing
else, so dropping a folder again (or after a failure) imports it once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib import (
    access,
    annotation_files,
    annotation_sets,
    annotations,
    measurements,
)
from chalicelib.access import Need
from chalicelib.audio_types import PLAIN_TEXT
from chalicelib.clock import Clock, system_clock
from chalicelib.config import Settings
from chalicelib.errors import BadRequestError, ConflictError
from chalicelib.formats import ImportedBox, raven
from chalicelib.formats.text import base_name
from chalicelib.models import RecordingModel
from chalicelib.recordings import in_project
from chalicelib.validation import text

IMPORTED_FROM = "Imported from"
# Columns naming each row's audio file, as BirdNET and Raven spell them; the first a file has
# and a row fills is the one read.
FILE_COLUMNS = ("Begin File", "Begin Path", "File")
# What BirdNET, Raven, Audacity and Sonagram add to the audio's stem when they name a result
# file; a file not ending in one of these loses its last extension only.
RESULT_ENDING = re.compile(
    r"\.(?:BirdNET\.selection\.table\.txt|BirdNET\.results\.(?:csv|txt)"
    r"|Table\.\d+\.selections\.txt|selections\.txt|labels\.txt|annotations\.(?:csv|json))$",
    re.IGNORECASE,
)
MAX_FILE_NAME = 255
# What the document says of the name; validation.text checks the same.
FILE_NAME = re.compile(PLAIN_TEXT)
# One file may hold the output for many recordings: five recordings' worth of boxes. Each
# read box takes about a kilobyte of the API function's memory.
MAX_FILE_BOXES = 5 * annotations.MAX_ANNOTATIONS
# Writes racing an editor's save read the set again and redo the file's part.
WRITE_ATTEMPTS = 3


def audio_stem(name: str) -> str:
    """An audio file's stem: without folders and its extension (``D:\\a\\dawn.wav`` -> ``dawn``)."""
    name = base_name(name)
    return name.rpartition(".")[0] or name


def result_stem(name: str) -> str:
    """The stem of the recording a result file is named after: its own name without
    folders and the ending its tool gave it (``dawn.BirdNET.results.csv`` -> ``dawn``)."""
    name = base_name(name)
    ending = RESULT_ENDING.search(name)
    return name[: ending.start()] if ending and ending.start() else audio_stem(name)


@dataclass(frozen=True)
class AudioName:
    """The audio a row is for: its file name as the result file gives it (without folders),
    or the stem the result file is named after, and the stem recordings are matched by."""

    name: str
    stem: str

    @classmethod
    def of_row(cls, box: dict, result_file: str) -> AudioName:
        """The audio named in the row's first filled ``FILE_COLUMNS`` cell, else the one the
        result file is named after."""
        by_name = {name.casefold(): value for name, value in box["attributes"].items()}
        for column in FILE_COLUMNS:
            value = by_name.get(column.casefold(), "").strip()
            if value:
                return cls(base_name(value), audio_stem(value))
        stem = result_stem(result_file)
        return cls(stem, stem)


@dataclass
class Target:
    """A recording the file names, its boxes from the file (and who the file says created
    each, by id), and the set they go into."""

    recording: RecordingModel
    boxes: list[dict]
    authors: dict[str, str | None] = field(default_factory=dict)


class Matcher:
    """Audio names to the project's recordings (see the module's docstring)."""

    def __init__(self, recordings: list[RecordingModel]) -> None:
        self._by_stem: dict[str, list[RecordingModel]] = {}
        for recording in recordings:
            self._by_stem.setdefault(audio_stem(recording.filename), []).append(recording)

    def recording(self, audio: AudioName) -> RecordingModel | None:
        """The recording ``audio`` stands for, or None.

        Raises
        ------
        ConflictError
            When several recordings have its stem and its whole name tells none apart.
        """
        same_stem = self._by_stem.get(audio.stem, [])
        if len(same_stem) <= 1:
            return same_stem[0] if same_stem else None
        same_name = [r for r in same_stem if base_name(r.filename) == audio.name]
        if len(same_name) == 1:
            return same_name[0]
        listed = ", ".join(sorted(r.filename for r in same_stem))
        raise ConflictError(
            f"not imported: {audio.name!r} may be any of the project's recordings "
            f"{listed}: give them different names (or import into each on its page)"
        )


def _project_recordings(project_id: str, stems: set[str]) -> list[RecordingModel]:
    """The project's recordings of these stems, without those being deleted."""
    return [r for r in in_project(project_id) if audio_stem(r.filename) in stems]


def _brought_by(source: str, file: str) -> Callable[[dict], bool]:
    def brought(box: dict) -> bool:
        return box.get("source") == source and box["attributes"].get(IMPORTED_FROM) == file

    return brought


def _merged(existing: list[dict], target: Target, brought: Callable[[dict], bool]) -> list[dict]:
    return annotations.check_set([box for box in existing if not brought(box)] + target.boxes)


def _write(target: Target, brought: Callable[[dict], bool], user: str, clock: Clock) -> None:
    """Swap the file's boxes into the recording's set, reading it again after a race.

    They are a machine's (created by nobody) unless the file names an Annotator; the
    importer updated them."""
    annotation_sets.rewrite(
        target.recording,
        lambda existing: (_merged(existing, target, brought), None),
        attempts=WRITE_ATTEMPTS,
        user=user,
        clock=clock,
        authors=target.authors,
    )


def import_file(
    settings: Settings,
    user: str,
    project_id: str,
    data: bytes,
    *,
    file: str | None,
    format: str | None,
    clock: Clock = system_clock,
) -> dict:
    """Import one result file into the project's recordings it names.

    Returns ``{"file", "format", "matched": [{"recording_id", "filename", "boxes"}],
    "unmatched": [audio names], "boxes": total}``.
    """
    access.project(user, project_id, Need.ANNOTATE, action="importing detector output")
    if file is None:
        raise BadRequestError("name the result file: ?file=<its name>")
    file = text(file, field="file", max_length=MAX_FILE_NAME)
    format, imported = annotation_files.read_file(data, format, max_boxes=MAX_FILE_BOXES)
    audio_names = [AudioName.of_row(item.box, file) for item in imported]
    stems = {audio.stem for audio in audio_names}
    matcher = Matcher(_project_recordings(project_id, stems))
    targets: dict[str, Target] = {}
    unmatched: dict[str, None] = {}
    for item, audio in zip(imported, audio_names, strict=True):
        recording = matcher.recording(audio)
        if recording is None:
            unmatched[audio.name] = None
            continue
        if recording.id not in targets:
            targets[recording.id] = Target(recording, [])
        target = targets[recording.id]
        box = _checked(item, target.recording, file=file, source=format)
        target.boxes.append(box)
        target.authors[box["id"]] = annotations.author(
            item.box.get("created_by"), f"not imported: line {item.line}"
        )
    brought = _brought_by(format, file)
    # Every set is checked before any is written: a file over a recording's limit writes none.
    for target in targets.values():
        _, existing = annotation_sets.load(target.recording)
        _merged(existing, target, brought)
    for target in targets.values():
        _write(target, brought, user, clock)
        measurements.after_write(settings, target.recording)
    matched = [
        {
            "recording_id": target.recording.id,
            "filename": target.recording.filename,
            "boxes": len(target.boxes),
        }
        for target in targets.values()
    ]
    return {
        "file": file,
        "format": format,
        "matched": matched,
        "unmatched": list(unmatched),
        "boxes": sum(item["boxes"] for item in matched),
    }


def _checked(item: ImportedBox, recording: RecordingModel, *, file: str, source: str) -> dict:
    bounds = annotations.Bounds.of(recording)
    box = {
        **item.box,
        "source": source,
        "attributes": {**item.box["attributes"], IMPORTED_FROM: file},
    }
    # BirdNET writes the band its model analyses (0-15 kHz) whatever the recording's rate:
    # on a recording sampled lower, that band ends at the recording's highest frequency.
    analysis_band = box["attributes"].get(raven.FREQUENCY_BAND) == "analysis"
    high = box["high_hz"]
    if analysis_band and None not in (high, bounds.nyquist_hz) and high > bounds.nyquist_hz:
        box["high_hz"] = bounds.nyquist_hz
    return annotations.check_box(
        box, where=f"not imported: line {item.line} (for {recording.filename})", bounds=bounds
    )
