"""The reference implementation: how a bioacoustician would draw the overview with librosa.

``librosa.load`` (no resampling, mono), ``|librosa.stft|`` cropped to the displayed
band, ``amplitude_to_db(ref=np.max, top_db=80)`` and matplotlib's ``imshow`` saved
as a PNG of exactly the engine's overview size.

M4A is the exception: librosa hands what libsndfile cannot read to audioread, whose
backends here (an ``ffmpeg`` program, GStreamer) are not installed, so the
reference decodes M4A with PyAV as the engine does. That makes the reference faster
than librosa's own fallback (a pipe from an ``ffmpeg`` process), never slower.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import numpy as np

from chalicelib.spectrogram.axes import HEIGHT, overview_width
from chalicelib.spectrogram.decode import open_audio
from chalicelib.spectrogram.stft import band

#: Extensions libsndfile (and so librosa.load) cannot read here.
_PYAV_ONLY = frozenset({".m4a", ".aac"})
DPI = 100


def import_librosa(cache_dir: Path) -> float:
    """Import librosa and matplotlib (caches in ``cache_dir``); return the seconds it took.

    Their caches must be writable before the first import (numba compiles into
    ``NUMBA_CACHE_DIR``, matplotlib writes its font list into ``MPLCONFIGDIR``).
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("NUMBA_CACHE_DIR", str(cache_dir))
    os.environ.setdefault("MPLCONFIGDIR", str(cache_dir))
    started = time.perf_counter()
    import matplotlib.backends.backend_agg  # noqa: F401

    # librosa loads its submodules on first use: a from-import makes that happen here.
    from librosa import amplitude_to_db, load, stft  # noqa: F401

    return time.perf_counter() - started


def _load(path: Path) -> tuple[np.ndarray, int]:
    import librosa

    if path.suffix.lower() not in _PYAV_ONLY:
        return librosa.load(path, sr=None, mono=True)
    stream = open_audio(path, name=path.name, max_duration_s=float("inf"))
    return np.concatenate(list(stream.blocks)), stream.sample_rate


def render(path: Path) -> bytes:
    """Overview PNG of ``path`` drawn the reference way, ``overview_width x 400`` px.

    Returns
    -------
    bytes
        An RGBA PNG (matplotlib's default) of the engine's overview size.
    """
    import librosa
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    y, sample_rate = _load(path)
    _, n_bins = band(sample_rate)
    magnitude = np.abs(librosa.stft(y))[:n_bins]
    db = librosa.amplitude_to_db(magnitude, ref=np.max, top_db=80)
    width = overview_width(len(y) / sample_rate)
    figure = Figure(figsize=(width / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.imshow(db, aspect="auto", origin="lower", cmap="viridis")
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=DPI)
    return png.getvalue()
