"""Annotation files in and out: a recording's set as a Raven, Audacity, CSV or JSON file,
and any of those (or BirdNET's) added to it, all of the file or none; a project's boxes as
one Raven, CSV or JSON file. Exports keep every box, or only those a person accepted.
"""

from __future__ import annotations

from chalicelib import access, annotation_sets, annotations, formats, measurements
from chalicelib.access import Need
from chalicelib.clock import Clock
from chalicelib.errors import BadRequestError, TooLargeError
from chalicelib.models import AssignmentModel, RecordingModel
from chalicelib.recordings import in_project

IMPORT_MODES = ("append", "replace")
# The file reaches the API function base64-encoded (a third larger) inside Lambda's 6 MB
# invocation: 4 MiB (5.6 MB encoded) fits with the request around it, 10 000 boxes take ~1 MB.
MAX_IMPORT_BYTES = 4 * 1024 * 1024
# What ?review= may keep of the boxes (absent: all of them).
REVIEW_FILTERS = ("accepted",)
# A download is one Lambda answer (6 MB at most, its text escaped as JSON): a project's file
# of 5 MB fits. Reading stops at the boxes such a file could hold, 100 bytes the least a box
# takes in any format.
MAX_EXPORT_BYTES = 5_000_000
MAX_EXPORT_BOXES = MAX_EXPORT_BYTES // 100


def _choice(value: str | None, name: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise BadRequestError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def read_file(
    data: bytes, format: str | None, *, max_boxes: int
) -> tuple[str, list[formats.ImportedBox]]:
    """The boxes of an import's body, within the limits of an import; the format read."""
    if format is not None:
        _choice(format, "format", formats.FORMATS)
    if not data:
        raise BadRequestError("the request body is empty: send the file's bytes")
    if len(data) > MAX_IMPORT_BYTES:
        raise TooLargeError(
            f"the file is {len(data) / 1e6:.1f} MB; import files up to "
            f"{MAX_IMPORT_BYTES // (1024 * 1024)} MiB"
        )
    try:
        return formats.read(data, format, max_boxes=max_boxes)
    except formats.FormatError as e:
        raise BadRequestError(f"not imported: {e}") from e


def import_file(
    recording: RecordingModel,
    data: bytes,
    *,
    format: str | None,
    mode: str | None,
    user: str,
    clock: Clock,
    layer: AssignmentModel | None = None,
) -> dict:
    """Add (or, with mode=replace, swap in) the boxes of an annotation file (a computed
    measurement it carries is dropped, to be computed again from the audio) to the main set,
    or to ``layer`` (a blind assignee's). Each box is created by the file's Annotator
    (``created_by``) where it names one, else by ``user``."""
    mode = mode or "append"
    _choice(mode, "mode", IMPORT_MODES)
    format, imported = read_file(data, format, max_boxes=annotations.MAX_ANNOTATIONS)
    bounds = annotations.Bounds.of(recording)
    boxes, authors = [], {}
    for item in imported:
        where = f"not imported: line {item.line}"
        box = annotations.check_box(item.box, where=where, bounds=bounds)
        author = annotations.author(item.box.get("created_by"), where)
        if author is not None:
            authors[box["id"]] = author
        boxes.append(box)
    recording, layer, version, existing = annotation_sets.read(recording, layer)
    stored, boxes = annotation_sets.store(
        recording,
        boxes if mode == "replace" else existing + boxes,
        version=version,
        before=existing,
        user=user,
        clock=clock,
        layer=layer,
        authors=authors,
    )
    return {"annotations": boxes, "version": stored, "format": format, "imported": len(imported)}


def _check_review(review: str | None) -> None:
    if review is not None:
        _choice(review, "review", REVIEW_FILTERS)


def _for_export(recording: RecordingModel, review: str | None) -> formats.RecordingBoxes:
    """The recording's boxes an export keeps (``review="accepted"``: those a person accepted),
    in time order with their computed measurements, without ids."""
    recording, boxes = annotation_sets.load(recording)
    if review is not None:
        boxes = [box for box in boxes if (box.get("review") or {}).get("state") == review]
    boxes = measurements.merged(boxes, measurements.load(recording))
    bounds = annotations.Bounds.of(recording)
    return formats.RecordingBoxes(
        [
            {name: value for name, value in box.items() if name != "id"}
            for box in sorted(boxes, key=lambda box: (box["start_s"], box["end_s"]))
        ],
        filename=recording.filename,
        duration_s=bounds.duration_s,
        nyquist_hz=bounds.nyquist_hz,
        recording_id=recording.id,
    )


def export_file(
    recording: RecordingModel, format: str | None, *, review: str | None = None
) -> formats.Export:
    """The set as a file, boxes in time order with their computed measurements, named after
    the recording; with ``review="accepted"`` only the boxes a person accepted."""
    _choice(format, "format", formats.EXPORT_FORMATS)
    _check_review(review)
    kept = _for_export(recording, review)
    return formats.write(
        kept.boxes,
        format,
        recording=kept.filename,
        duration_s=kept.duration_s,
        nyquist_hz=kept.nyquist_hz,
    )


def export_project(
    user: str, project_id: str, format: str | None, *, review: str | None = None
) -> formats.Export:
    """The boxes of every recording of the project (oldest recording first, each one's in
    time order) as one file named after the project, each box naming its recording; with
    ``review="accepted"`` only the boxes a person accepted.

    Raises
    ------
    NotFoundError
        When the user is no member of such a project.
    TooLargeError
        When the file would be more than one answer carries (``MAX_EXPORT_BYTES``).
    """
    project, _ = access.project(user, project_id, Need.SEE)
    _choice(format, "format", formats.PROJECT_EXPORT_FORMATS)
    _check_review(review)
    kept: list[formats.RecordingBoxes] = []
    boxes = 0
    for recording in in_project(project_id):
        kept.append(_for_export(recording, review))
        boxes += len(kept[-1].boxes)
        if boxes > MAX_EXPORT_BOXES:
            raise _too_large(f"would hold more than {MAX_EXPORT_BOXES} boxes")
    exported = formats.write_project(kept, format, project=project.name)
    if len(exported.data) > MAX_EXPORT_BYTES:
        raise _too_large(f"would take {len(exported.data) / 1e6:.1f} MB")
    return exported


def _too_large(what: str) -> TooLargeError:
    return TooLargeError(
        f"the project's export {what}, and one download carries "
        f"{MAX_EXPORT_BYTES / 1e6:.0f} MB at most: export only the accepted boxes "
        "(review=accepted), or each recording on its own"
    )
