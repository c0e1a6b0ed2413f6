"""``sonagram render``, ``sonagram detect`` and ``sonagram measure``: local recordings, no
cloud involved.

For each input file (folders are searched recursively for audio extensions),
``render`` writes ``<stem>.png`` (the overview) and ``<stem>.json`` (the manifest) into
the output folder, and with ``--tiles`` the objects of tiles under ``<stem>.tiles/``.
The manifest's ``key``, ``object`` and ``objects`` fields are rewritten to these paths,
relative to the JSON file. ``detect`` runs band-limited energy detector presets
(``--preset PRESET.json``: one preset object or a list of them, as a project holds them;
the default preset without it) and writes ``<stem>.Table.1.selections.txt``: a Raven
selection table of the proposals, each labelled with its preset's name, with its peak
SNR and the measurement columns (:mod:`.measure`), as the worker stores them. When two
inputs share a stem, the later one is written as ``<stem>_2`` (``_3``, ...).

What the decoding libraries print while a file renders (libmpg123 prints a line for
each MP3 frame it finds damaged) is collected and reported once per file, with its
name, instead of line by line.

Exit status: 0 if every file rendered (or was searched), 1 if any failed (the others
are still done), 2 for bad arguments (a preset file that is not one included).

``sonagram measure AUDIO TABLE -o OUT`` reads the boxes of a Raven, BirdNET or Audacity
table (any format ``chalicelib.formats`` reads), measures each on AUDIO
(:mod:`.measure`) and writes them to OUT as a Raven selection table with the
measurement columns filled (computed values replace any the table had; its other
measurements are kept). Exit status: 0 when written, 1 when the audio or the table
cannot be read, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import AudioError, detect, render
from .decode import AUDIO_EXTENSIONS
from .stderr import collected_stderr, tally

if TYPE_CHECKING:
    from chalicelib.detector_presets import DetectorPreset

_BAR_WIDTH = 24


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sonagram", description="Spectrograms of animal sound recordings."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    render_cmd = commands.add_parser(
        "render",
        help="render overview PNGs and manifests of audio files",
        description=(
            "Write <stem>.png (the overview) and <stem>.json (the manifest) for each audio "
            "file; folders are searched recursively. With --tiles, also the zoom tiles "
            "under <stem>.tiles/."
        ),
        epilog="Exit status: 0 if every file rendered, 1 if any failed (the rest still are).",
    )
    _inputs_and_output(render_cmd)
    render_cmd.add_argument("--tiles", action="store_true", help="also write the zoom tiles")
    detect_cmd = commands.add_parser(
        "detect",
        help="propose boxes where a band is loud (band-limited energy detector)",
        description=(
            "Write <stem>.Table.1.selections.txt, a Raven selection table of the detector's "
            "proposals, for each audio file; folders are searched recursively."
        ),
        epilog=(
            "Exit status: 0 if every file was searched, 1 if any failed (the rest still are), "
            "2 if the preset file is refused."
        ),
    )
    _inputs_and_output(detect_cmd)
    detect_cmd.add_argument(
        "--preset",
        type=Path,
        metavar="PRESET.json",
        help="a detector preset (JSON object) or a list of them (default: the default preset)",
    )
    measure_cmd = commands.add_parser(
        "measure",
        help="measure the boxes of an annotation table on its recording",
        description=(
            "Read the boxes of a Raven, BirdNET or Audacity table, measure each on AUDIO "
            "(Raven's measurements and SNR) and write a Raven selection table with the "
            "measurement columns filled."
        ),
        epilog="Exit status: 0 when written, 1 when the audio or the table cannot be read.",
    )
    measure_cmd.add_argument("audio", type=Path, metavar="AUDIO", help="the recording")
    measure_cmd.add_argument("table", type=Path, metavar="TABLE", help="its annotation table")
    measure_cmd.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT",
        help="the Raven table to write (a folder: <stem>.Table.1.selections.txt in it)",
    )
    return parser


def _inputs_and_output(command: argparse.ArgumentParser) -> None:
    command.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    command.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="output folder, created if missing (default: the current folder)",
    )


def find_inputs(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Expand folders to the audio files inside them (sorted); report missing paths.

    Returns
    -------
    files : list of Path
        Files named on the command line (whatever their extension), then audio files
        found in folders.
    errors : list of str
        One sentence per path that does not exist.
    """
    files, errors = [], []
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix.lower() in AUDIO_EXTENSIONS)
            files.extend(sorted(p for p in found if p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            errors.append(f"'{path}' does not exist.")
    return files, errors


class _Progress:
    """A one-line progress bar, drawn only on a terminal."""

    def __init__(self, total: int, stream: TextIO):
        self._total = total
        self._stream = stream
        self._active = total > 1 and stream.isatty()

    def show(self, done: int, label: str) -> None:
        if self._active:
            filled = _BAR_WIDTH * done // self._total
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            self._stream.write(f"\r[{bar}] {done}/{self._total} {label[:40]:<40}")
            self._stream.flush()

    def clear(self) -> None:
        if self._active:
            self._stream.write("\r" + " " * (_BAR_WIDTH + 60) + "\r")
            self._stream.flush()


def _warnings(path: Path, messages: list[str]) -> list[str]:
    """One warning per distinct message, with how often it came, naming the file."""
    return [
        f"warning: '{path.name}': its decoder said{f' ({count} times)' if count > 1 else ''}: "
        f"{message}"
        for message, count in tally(messages).items()
    ]


def _run(path: Path, work: Callable[[], None], progress: _Progress) -> bool:
    """Run ``work`` on the file ``path``: report its error, or what its decoder printed, on
    stderr, in the file's name. Whether it succeeded."""
    messages: list[str] = []
    try:
        with collected_stderr(messages):
            work()
    except (AudioError, OSError) as e:
        progress.clear()
        message = str(e) if isinstance(e, AudioError) else f"'{path}' could not be read: {e}"
        print(f"error: {message}", file=sys.stderr)
        return False
    finally:
        if messages:
            progress.clear()
            print(*_warnings(path, messages), sep="\n", file=sys.stderr)
    return True


def _render_one(path: Path, out_dir: Path, stem: str, *, tiles: bool) -> None:
    tile_dir = out_dir / f"{stem}.tiles"

    def named(key: str) -> str:
        return f"{stem}.tiles/{key.removeprefix('tiles/')}"

    def store_tiles(key: str, data: bytearray) -> None:
        tile_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / named(key)).write_bytes(data)

    rendering = render(path, name=path.name, tile_sink=store_tiles if tiles else None)
    manifest = rendering.manifest
    manifest["overview"]["key"] = f"{stem}.png"
    for tile in manifest["tiles"]:
        tile["object"] = named(tile["object"])
    for level in manifest["tile_levels"]:
        level["objects"] = [named(key) for key in level["objects"]]
    (out_dir / f"{stem}.png").write_bytes(rendering.overview_png)
    (out_dir / f"{stem}.json").write_text(json.dumps(manifest, indent=1) + "\n")


def read_presets(path: Path | None) -> list[DetectorPreset]:
    """The presets of a ``--preset`` file (one object or a list), or the default preset.

    Raises
    ------
    PresetError
        The file is not JSON, or not presets; the message names the file.
    """
    from chalicelib.detector_presets import DetectorPreset, PresetError, presets_from_json

    if path is None:
        return [DetectorPreset(name="default")]
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise PresetError(f"'{path}' is not a JSON file of presets: {e}") from e
    if isinstance(raw, list):
        return presets_from_json(raw, where=f"'{path}'")
    return [DetectorPreset.from_json(raw, where=f"'{path}'")]


def _detect_one(path: Path, out_dir: Path, stem: str, *, presets: list[DetectorPreset]) -> None:
    from chalicelib import formats

    from .measure import measure_boxes

    found = detect(path, name=path.name, presets=presets)
    boxes = [box for preset in presets for box in found[preset.name].boxes(preset)]
    boxes.sort(key=lambda box: (box["start_s"], box["end_s"], box["label"]))
    for box, values in zip(boxes, measure_boxes(path, name=path.name, boxes=boxes), strict=True):
        box["measurements"] = {**values, **box["measurements"]}
    # Named after the recording's stem: the export's name when the stem is this file's.
    table = formats.write(
        boxes, "raven", recording=f"{stem}{path.suffix}", duration_s=None, nyquist_hz=None
    )
    (out_dir / table.filename).write_bytes(table.data)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "measure":
        return _measure(args)
    if args.command == "detect":
        from chalicelib.detector_presets import PresetError

        try:
            presets = read_presets(args.preset)
        except PresetError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        return _each_file(args, partial(_detect_one, presets=presets), done="searched")
    return _each_file(args, partial(_render_one, tiles=args.tiles), done="rendered")


def _each_file(
    args: argparse.Namespace, work: Callable[[Path, Path, str], None], *, done: str
) -> int:
    """Do ``work(path, output folder, stem)`` on each input with a progress bar, reporting
    each file's error and its decoder's warnings; return the exit status."""
    files, errors = find_inputs(args.paths)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    args.output.mkdir(parents=True, exist_ok=True)
    progress = _Progress(len(files), sys.stderr)
    used: dict[str, int] = {}
    failed = len(errors)
    for count, path in enumerate(files):
        progress.show(count, path.name)
        used[path.stem] = used.get(path.stem, 0) + 1
        stem = path.stem if used[path.stem] == 1 else f"{path.stem}_{used[path.stem]}"
        if not _run(path, partial(work, path, args.output, stem), progress):
            failed += 1
    progress.show(len(files), "done")
    progress.clear()
    if not files and not errors:
        print("error: no audio files found.", file=sys.stderr)
        return 1
    succeeded = len(files) + len(errors) - failed
    print(f"{succeeded} {done}, {failed} failed, in {args.output}")
    return 1 if failed else 0


def _measure(args: argparse.Namespace) -> int:
    # The annotation formats and the measurement names are the domain's (pure standard
    # library); only this command needs them, so `sonagram render` starts without them.
    from chalicelib import formats
    from chalicelib.measurement_names import NAMES

    from .decode import open_seekable
    from .engine import MAX_DURATION_S
    from .measure import measure_boxes

    audio, table = args.audio, args.table
    try:
        read_as, imported = formats.read(table.read_bytes())
    except (formats.FormatError, OSError) as e:
        print(f"error: '{table}' could not be read: {e}", file=sys.stderr)
        return 1
    boxes = [entry.box for entry in imported]
    for box in boxes:
        # The reader names the format as the boxes' source; the table written back is the
        # same table with its measurements, not a record of where it came from.
        if box["source"] == read_as:
            box["source"] = None
    progress = _Progress(len(boxes), sys.stderr)
    measured: list[dict[str, float]] = []
    sample_rate = 0

    def measure() -> None:
        nonlocal measured, sample_rate
        with open_seekable(audio, name=audio.name, max_duration_s=MAX_DURATION_S) as opened:
            sample_rate = opened.sample_rate
        measured = measure_boxes(
            audio,
            name=audio.name,
            boxes=boxes,
            progress=lambda done: progress.show(done, audio.name),
        )

    try:
        if not _run(audio, measure, progress):
            return 1
    except ValueError as e:  # a box the measurement refuses (high below low)
        print(f"error: '{table}': {e}", file=sys.stderr)
        return 1
    progress.clear()
    for box, values in zip(boxes, measured, strict=True):
        kept = {k: v for k, v in box["measurements"].items() if k not in NAMES}
        box["measurements"] = {**values, **kept}
    export = formats.write(
        boxes, "raven", recording=audio.name, duration_s=None, nyquist_hz=sample_rate / 2
    )
    out = args.output / export.filename if args.output.is_dir() else args.output
    out.write_bytes(export.data)
    print(f"{len(boxes)} boxes measured, in {out}")
    return 0
