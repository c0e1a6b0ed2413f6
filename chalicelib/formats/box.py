"""The box every format reads into and writes from, and the error a refused file raises."""

from __future__ import annotations

from dataclasses import dataclass


class FormatError(ValueError):
    """A file we refuse, with the place of the first problem when it is one line.

    ``str(e)`` is ``"line 7: End Time (s) '1.2.3' is not a number"``, or the bare message
    when the problem is the whole file. JSON places are annotations (1-based indices),
    so there it reads ``"annotation 3: unknown field 'foo'"``.
    """

    def __init__(self, message: str, line: int | None = None, *, place: str = "line") -> None:
        super().__init__(message if line is None else f"{place} {line}: {message}")
        self.message = message
        self.line = line

    def at(self, line: int) -> FormatError:
        """This error at ``line`` of the file, unless it names a place already."""
        return self if self.line is not None else FormatError(self.message, line)


# A box's review as a table's cells: its state, who, when and the label before a relabel.
REVIEW_FIELDS = ("state", "by", "at", "label_before")


@dataclass(frozen=True)
class ImportedBox:
    """A box and the 1-based line of the file it came from (JSON: its 1-based index)."""

    line: int
    box: dict


def new_box(
    start_s: float,
    end_s: float,
    *,
    low_hz: float | None = None,
    high_hz: float | None = None,
    label: str = "",
    confidence: float | None = None,
    notes: str | None = None,
    measurements: dict[str, float] | None = None,
    attributes: dict[str, str] | None = None,
    channel: int = 1,
    source: str | None = None,
    review: dict | None = None,
    created_by: str | None = None,
) -> dict:
    """A box as the API's annotation shape (without ``id``); of its signature, only who
    created it (a file's Annotator), which an import keeps.

    Bounds against the recording (its duration, its Nyquist frequency) are the caller's
    to check; a box that ends before it starts is no box in any format.
    """
    if end_s < start_s:
        raise FormatError(f"it ends at {end_s:g} s, before it starts at {start_s:g} s")
    return {
        "start_s": start_s,
        "end_s": end_s,
        "low_hz": low_hz,
        "high_hz": high_hz,
        "label": label,
        "confidence": confidence,
        "notes": notes,
        "measurements": measurements or {},
        "attributes": attributes or {},
        "channel": channel,
        "source": source,
        "review": review,
        "created_by": created_by,
    }


@dataclass(frozen=True)
class RecordingBoxes:
    """One recording's boxes as an export writes them: the user's file name for it (folders
    and all), its length (s) and Nyquist frequency (Hz) where known, and its id (a file over
    several recordings names each box's)."""

    boxes: list[dict]
    filename: str
    duration_s: float | None = None
    nyquist_hz: float | None = None
    recording_id: str | None = None


def review_of(state: str, by: str, at: str, label_before: str) -> dict | None:
    """A review from a table's cells (``REVIEW_FIELDS``): None when the state is empty.
    The values are checked with the box's (chalicelib.annotations)."""
    if not state:
        return None
    return {
        "state": state.casefold(),
        "by": by or None,
        "at": at or None,
        "label_before": label_before or None,
    }


def review_cells(box: dict) -> list[str]:
    """A box's review as a table's cells (``REVIEW_FIELDS``), empty when it has none."""
    review = box.get("review") or {}
    return [review.get(name) or "" for name in REVIEW_FIELDS]


def add(boxes: list[ImportedBox], imported: ImportedBox, max_boxes: int | None) -> None:
    """Append ``imported`` to a file's ``boxes``, unless it would be one more than
    ``max_boxes``: reading stops there."""
    if max_boxes is not None and len(boxes) >= max_boxes:
        raise too_many(max_boxes, imported.line)
    boxes.append(imported)


def too_many(max_boxes: int, line: int | None = None) -> FormatError:
    """The error for a file of more than ``max_boxes`` boxes, at the line of the next."""
    return FormatError(f"the file holds more than {max_boxes} annotations", line)
