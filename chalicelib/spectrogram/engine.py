"""Decode, transform and draw: the block loop that ties the engine together."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, closing, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from .axes import HEIGHT, FrequencyRows, overview_width
from .decode import AudioStream, open_audio
from .detector import BandEnergyDetector, Detections
from .errors import EmptyAudioError, RenderTimeout
from .overview import OverviewColumns, overview_png
from .scale import TILE_DB_AT_0, TILE_DB_STEP, TOP_DB, power_db, tile_values
from .stft import HOP_LENGTH, N_FFT, StreamingSTFT, band
from .tiles import TilePyramid, TileSink

if TYPE_CHECKING:
    from chalicelib.detector_presets import DetectorPreset

# 1.1: float32 FFT (within 0.002 dB of 1.0; a rare pixel moves one palette step).
# 1.2: level 0 at the frame rate, each level's tiles in one object with a byte index.
# 1.3: each coarser level merges 4 pixels instead of 2 (a third fewer tile bytes).
# 1.4: a level's tiles in objects of at most 16 MiB (a range read stays cheap on any store).
# 1.5: rows smoothed alike along frequency, no horizontal stripes (tones read their level).
ENGINE_VERSION = "1.5.0"
#: Default longest recording, in seconds (4 h).
MAX_DURATION_S = 4 * 3600.0


@dataclass(frozen=True)
class Rendering:
    """What :func:`render` produced.

    Attributes
    ----------
    overview_png : bytes
        The overview image (8-bit palette PNG, viridis).
    manifest : dict
        JSON-serialisable description; see the package docstring.
    sample_rate, channels, duration_s, width, height
        Copies of the manifest fields of the same names (Hz, count, s, px, px).
    detections : dict of str to Detections
        What each detector preset passed to :func:`render` found, by preset name.
    """

    overview_png: bytes
    manifest: dict
    sample_rate: int
    channels: int
    duration_s: float
    width: int
    height: int
    detections: dict[str, Detections] = field(default_factory=dict)


def render(
    source: str | os.PathLike | BinaryIO,
    *,
    name: str,
    tile_sink: TileSink | None = None,
    detectors: Sequence[DetectorPreset] = (),
    max_duration_s: float = MAX_DURATION_S,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Rendering:
    """Render the spectrogram overview (and optionally the tiles) of an audio file.

    Parameters
    ----------
    source : str, os.PathLike or binary file object
        Path of the audio file, or a readable, seekable file object holding it (read
        from its start); either renders the same.
    name : str
        The file's name as the user knows it; used only in error messages.
    tile_sink : callable(key: str, data: bytes) -> None, optional
        Receives each object of tiles, whole (key like ``'tiles/3-0.pngs'``, at most
        16 MiB), as soon as it is full; every object is handed over when this returns.
        Tiles are not kept. Without it no tiles are made.
    detectors : sequence of DetectorPreset
        Band-limited energy detectors (:mod:`.detector`) to run on the same STFT frames;
        their names must differ. The drawing is the same with or without them.
    max_duration_s : float > 0
        Longest accepted recording, in seconds (default 4 h).
    deadline : float, optional
        A ``clock()`` value, in seconds; rendering stops with :class:`RenderTimeout`
        at the first block boundary after it.
    clock : callable() -> float
        Where the deadline's time comes from (default :func:`time.monotonic`); the
        worker passes its own, and tests a deterministic one.

    Returns
    -------
    Rendering

    Raises
    ------
    NotAudioError, EmptyAudioError, TooLongError
        Subclasses of :class:`AudioError` (a ``ValueError``): the file cannot be
        rendered; the message names the file and the cause.
    RenderTimeout
        The deadline passed.
    """
    if not max_duration_s > 0:
        raise ValueError(f"max_duration_s must be positive, got {max_duration_s!r}")
    if tile_sink is not None and not callable(tile_sink):
        raise TypeError(f"tile_sink must be callable or None, got {tile_sink!r}")
    stream = open_audio(source, name=name, max_duration_s=max_duration_s)
    return render_stream(
        stream,
        name=name,
        tile_sink=tile_sink,
        detectors=detectors,
        deadline=deadline,
        clock=clock,
    )


def detect(
    source: str | os.PathLike | BinaryIO,
    *,
    name: str,
    presets: Sequence[DetectorPreset],
    max_duration_s: float = MAX_DURATION_S,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Detections]:
    """Run detector presets over an audio file without drawing: :func:`render`'s
    detections, at the cost of decoding and the STFT alone.

    Parameters
    ----------
    source, name, max_duration_s, deadline, clock
        As for :func:`render`.
    presets : sequence of DetectorPreset
        At least one; their names must differ.

    Returns
    -------
    dict of str to Detections
        By preset name; equal to ``render(..., detectors=presets).detections``.

    Raises
    ------
    AudioError, RenderTimeout
        As :func:`render`.
    """
    if not presets:
        raise ValueError("detect needs at least one preset")
    stream = open_audio(source, name=name, max_duration_s=max_duration_s)
    detectors = _detectors(presets, stream.sample_rate)
    stft = StreamingSTFT(n_bins=max(d.n_bins for d in detectors.values()))

    def consume(power: np.ndarray) -> None:
        for detector in detectors.values():
            detector.push(power)

    with closing(stream.blocks) as blocks:
        n_samples = _transform(
            blocks,
            stft,
            consume,
            name=name,
            sample_rate=stream.sample_rate,
            what="Detecting in",
            deadline=deadline,
            clock=clock,
        )
    duration_s = n_samples / stream.sample_rate
    return {preset: d.finish(duration_s=duration_s) for preset, d in detectors.items()}


def _detectors(
    presets: Sequence[DetectorPreset], sample_rate: int
) -> dict[str, BandEnergyDetector]:
    detectors = {p.name: BandEnergyDetector(p, sample_rate=sample_rate) for p in presets}
    if len(detectors) < len(presets):
        raise ValueError(f"detector presets need distinct names, got {[p.name for p in presets]}")
    return detectors


def _transform(
    blocks: Iterator[np.ndarray],
    stft: StreamingSTFT,
    consume: Callable[[np.ndarray], None],
    *,
    name: str,
    sample_rate: int,
    what: str,
    deadline: float | None,
    clock: Callable[[], float],
) -> int:
    """Feed the STFT power of the decoded ``blocks`` to ``consume``; return the samples.

    Raises :class:`RenderTimeout` at the first block after ``deadline`` and
    :class:`EmptyAudioError` when there was no sample.
    """
    n_samples = 0
    with closing(_read_ahead(blocks)) as ahead:
        for block in ahead:
            if deadline is not None and clock() > deadline:
                raise RenderTimeout(
                    f"{what} '{name}' ran out of time after "
                    f"{n_samples / sample_rate:.1f} s of audio."
                )
            n_samples += len(block)
            consume(stft.push(block))
    if not n_samples:
        raise EmptyAudioError(f"'{name}' contains no audio samples.")
    consume(stft.finish())
    return n_samples


#: Decoded blocks waiting for the transform, at most (256 KB each at 44.1 kHz).
_READ_AHEAD = 2


def _read_ahead(blocks: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    """Yield ``blocks`` while the next ones decode on another thread.

    libsndfile and FFmpeg decode outside the GIL, so decoding overlaps the FFT; for
    MP3 and AAC that nearly halves the time on two cores. The thread decodes on
    without waiting for each block to be taken (up to :data:`_READ_AHEAD` ahead), so
    when decoding is the slower side it never idles. Closing the generator stops
    and joins the thread; a decoding error is raised here.
    """
    ready: queue.Queue = queue.Queue(maxsize=_READ_AHEAD)
    stop = threading.Event()

    def decode() -> None:
        try:
            for block in blocks:
                if stop.is_set():
                    return
                ready.put((block, None))
            ready.put((None, None))
        except BaseException as e:  # handed to the consumer, raised there
            ready.put((None, e))

    thread = threading.Thread(target=decode, name="sonagram-decode", daemon=True)
    thread.start()
    try:
        while True:
            block, error = ready.get()
            if error is not None:
                raise error
            if block is None:
                return
            yield block
    finally:
        stop.set()
        while thread.is_alive():
            # Make room for a put the thread may be blocked in, so that it sees stop.
            with suppress(queue.Empty):
                ready.get_nowait()
            thread.join(0.001)


def render_stream(
    stream: AudioStream,
    *,
    name: str,
    tile_sink: TileSink | None = None,
    detectors: Sequence[DetectorPreset] = (),
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Rendering:
    """Render from an opened :class:`~.decode.AudioStream`; see :func:`render`."""
    sample_rate = stream.sample_rate
    f_max, n_bins = band(sample_rate)
    rows = FrequencyRows(sample_rate, N_FFT, f_max)
    detecting = _detectors(detectors, sample_rate)
    stft = StreamingSTFT(n_bins=max([rows.n_bins, *(d.n_bins for d in detecting.values())]))
    columns = OverviewColumns(rows=HEIGHT)
    pyramid = None
    if tile_sink is not None:
        pyramid = TilePyramid(tile_sink, sample_rate=sample_rate, hop_length=HOP_LENGTH)
    ref_power = 0.0

    def consume(power: np.ndarray) -> None:
        nonlocal ref_power
        if not len(power):
            return
        for detector in detecting.values():
            detector.push(power)
        if power.shape[1] > rows.n_bins:
            # The drawing reads its own bins, laid out as without detectors.
            power = np.ascontiguousarray(power[:, : rows.n_bins])
        power = columns.push_mapped(power, rows)
        ref_power = max(ref_power, float(power.max()))
        if pyramid is not None:
            pyramid.push(tile_values(power))

    with ExitStack() as cleanup:
        blocks = cleanup.enter_context(closing(stream.blocks))
        if pyramid is not None:
            cleanup.callback(pyramid.close)
        # The reader thread (in _transform) stops before the file closes.
        n_samples = _transform(
            blocks,
            stft,
            consume,
            name=name,
            sample_rate=sample_rate,
            what="Rendering",
            deadline=deadline,
            clock=clock,
        )
        duration_s = n_samples / sample_rate
        tile_levels = pyramid.finish(duration_s) if pyramid is not None else []

    width = overview_width(duration_s)
    png = overview_png(
        columns,
        frame_rate=sample_rate / HOP_LENGTH,
        width=width,
        duration_s=duration_s,
        ref_power=ref_power,
    )
    px_per_s = width / duration_s
    manifest = {
        "engine_version": ENGINE_VERSION,
        "sample_rate": sample_rate,
        "channels": stream.channels,
        "n_samples": n_samples,
        "duration_s": duration_s,
        "n_fft": N_FFT,
        "hop_length": HOP_LENGTH,
        "window": "hann",
        "center": True,
        "f_max_hz": f_max,
        "n_bins": n_bins,
        "width": width,
        "height": HEIGHT,
        "px_per_s": px_per_s,
        "colormap": "viridis",
        "db_range": {
            "max_db": power_db(ref_power),
            "floor_db": -TOP_DB,
            "tile_db_at_0": TILE_DB_AT_0,
            "tile_db_step": TILE_DB_STEP,
        },
        "overview": {"key": "overview.png", "width": width, "height": HEIGHT, "px_per_s": px_per_s},
        "tile_levels": tile_levels,
        "tiles": pyramid.tiles if pyramid is not None else [],
    }
    return Rendering(
        overview_png=png,
        manifest=manifest,
        sample_rate=sample_rate,
        channels=stream.channels,
        duration_s=duration_s,
        width=width,
        height=HEIGHT,
        detections={preset: d.finish(duration_s=duration_s) for preset, d in detecting.items()},
    )
