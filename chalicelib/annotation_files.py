"""Annotation files in and out: a recording's set as a Raven, Audacity, CSV or JSON file,
and any of those (or BirdNET's) added to it, all of the file or none.
"""

from __future__ import annotations

from chalicelib import annotation_sets, annotations, formats, measurements
from chalicelib.errors import BadRequestError, TooLargeError
from chalicelib.models import RecordingModel

IMPORT_MODES = ("append", "replace")
# The file reaches the API function base64-encoded (a third larger) inside Lambda's 6 MB
# invocation: 4 MiB (5.6 MB encoded) fits with the request around it, 10 000 boxes take ~1 MB.
MAX_IMPORT_BYTES = 4 * 1024 * 1024


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
    recording: RecordingModel, data: bytes, *, format: str | None, mode: str | None
) -> dict:
    """Add (or, with mode=replace, swap in) the boxes of an annotation file (a computed
    measurement it carries is dropped, to be computed again from the audio)."""
    mode = mode or "append"
    _choice(mode, "mode", IMPORT_MODES)
    format, imported = read_file(data, format, max_boxes=annotations.MAX_ANNOTATIONS)
    bounds = annotations.Bounds.of(recording)
    boxes = [
        annotations.check_box(item.box, where=f"not imported: line {item.line}", bounds=bounds)
        for item in imported
    ]
    recording, existing = annotation_sets.load(recording)
    version = int(recording.annotation_version or 0)
    boxes = boxes if mode == "replace" else existing + boxes
    return {
        "annotations": boxes,
        "version": annotation_sets.store(recording, boxes, version=version),
        "format": format,
        "imported": len(imported),
    }


def export_file(recording: RecordingModel, format: str | None) -> formats.Export:
    """The set as a file, boxes in time order with their computed measurements, named after
    the recording."""
    _choice(format, "format", formats.EXPORT_FORMATS)
    recording, boxes = annotation_sets.load(recording)
    boxes = measurements.merged(boxes, measurements.load(recording))
    bounds = annotations.Bounds.of(recording)
    return formats.write(
        [
            {name: value for name, value in box.items() if name != "id"}
            for box in sorted(boxes, key=lambda box: (box["start_s"], box["end_s"]))
        ],
        format,
        recording=recording.filename,
        duration_s=bounds.duration_s,
        nyquist_hz=bounds.nyquist_hz,
    )
