"""The floor: the work any implementation of the overview must do, and nothing else.

Decode the whole file with the engine's own decoder, take the windowed FFT of every
frame of the displayed band, and PNG-encode one overview-sized image. No frequency
or time mapping, no dB scale, no colours, no tiles: the engine's time over the
floor's is what those cost.

Three choices keep it a lower bound rather than a straw man:

* Each decoded block is transformed as soon as it arrives (the frames that straddle
  blocks carried over), as the engine does: decoding the whole file first and
  transforming it afterwards measured ~30 % slower, the samples having left the
  cache by then.
* The FFT runs in float32, as the engine's does (numpy's default is float64).
* The magnitude is taken as power, ``re**2 + im**2``: a dB scale needs nothing more,
  and it is cheaper than ``np.abs`` (a ``hypot`` per bin).
* The image encoded is the engine's own overview (decoded before the clock starts):
  the encoder's speed depends on the content, and this is the content it must encode.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
from PIL import Image

from chalicelib.spectrogram.colormap import VIRIDIS
from chalicelib.spectrogram.decode import open_audio
from chalicelib.spectrogram.png import encode_png
from chalicelib.spectrogram.stft import HOP_LENGTH, N_FFT, band, hann_window

#: Frames per FFT call: the windowed frames (1 MB) stay in cache, which measured
#: fastest here (larger calls spill to memory, smaller ones pay per-call overhead).
FRAMES_PER_FFT = 128


def overview_indices(overview_png: bytes) -> np.ndarray:
    """The palette indices of an engine overview PNG, shape ``(400, width)`` uint8."""
    return np.asarray(Image.open(io.BytesIO(overview_png)))


def run(path: Path, image: np.ndarray) -> dict[str, float]:
    """Do the floor's work on ``path`` and encode ``image``; return the seconds taken.

    Parameters
    ----------
    path : Path
        Audio file.
    image : np.ndarray [shape=(400, width), dtype=uint8]
        Palette indices to encode, e.g. :func:`overview_indices` of the engine's output.

    Returns
    -------
    dict
        ``decode_s``, ``fft_s``, ``png_s`` and ``total_s``, in seconds, and
        ``peak_power``, the loudest cell's power (``|X|**2``).
    """
    decode_s = fft_s = 0.0
    peak = 0.0
    t0 = time.perf_counter()
    stream = open_audio(path, name=path.name, max_duration_s=float("inf"))
    # float32 FFT, as the engine's: numpy computes rfft in float64 unless its scale factor
    # is float32, which only norm="forward" gives; the window carries the n_fft it divides by.
    window = hann_window(N_FFT) * np.float32(N_FFT)
    _, n_bins = band(stream.sample_rate)
    # Work arrays made once and written in place (out=): ~8 % faster than fresh ones.
    windowed = np.empty((FRAMES_PER_FFT, N_FFT), dtype=np.float32)
    spectrum = np.empty((FRAMES_PER_FFT, N_FFT // 2 + 1), dtype=np.complex64)
    power = np.empty((2, FRAMES_PER_FFT, n_bins), dtype=np.float32)
    # Centred frames: n_fft // 2 zeros before the first sample and after the last.
    carry = np.zeros(N_FFT // 2, dtype=np.float32)
    tail = np.zeros(N_FFT // 2, dtype=np.float32)
    blocks = iter(stream.blocks)
    t1 = time.perf_counter()
    decode_s += t1 - t0
    while True:
        block = next(blocks, None)
        t2 = time.perf_counter()
        decode_s += t2 - t1
        signal = np.concatenate((carry, tail if block is None else block))
        n_frames = max(0, (len(signal) - N_FFT) // HOP_LENGTH + 1)
        for first in range(0, n_frames, FRAMES_PER_FFT):
            n = min(FRAMES_PER_FFT, n_frames - first)
            samples = signal[first * HOP_LENGTH : (first + n - 1) * HOP_LENGTH + N_FFT]
            frames = np.lib.stride_tricks.sliding_window_view(samples, N_FFT)[::HOP_LENGTH]
            np.multiply(frames, window, out=windowed[:n])
            np.fft.rfft(windowed[:n], axis=1, norm="forward", out=spectrum[:n])
            kept = spectrum[:n, :n_bins]
            np.square(kept.real, out=power[0, :n])
            np.square(kept.imag, out=power[1, :n])
            np.add(power[0, :n], power[1, :n], out=power[0, :n])
            # The loudest cell is the 0 dB reference: every implementation must find it.
            peak = max(peak, float(power[0, :n].max()))
        carry = signal[n_frames * HOP_LENGTH :]
        t1 = time.perf_counter()
        fft_s += t1 - t2
        if block is None:
            break
    encode_png(image, palette=VIRIDIS)
    png_s = time.perf_counter() - t1
    return {
        "decode_s": decode_s,
        "fft_s": fft_s,
        "png_s": png_s,
        "total_s": decode_s + fft_s + png_s,
        "peak_power": peak,
    }
