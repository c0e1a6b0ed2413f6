"""Power to decibels to 8-bit pixel values.

Both scales start from librosa's ``amplitude_to_db``: ``20 * log10(max(|X|, 1e-5))``,
i.e. ``10 * log10(max(power, 1e-10))``. Taking the maximum over cells commutes with
these monotone maps, so the engine reduces power first and takes logarithms of the
(smaller) reduced arrays.
"""

from __future__ import annotations

import numpy as np

#: librosa's ``amin``, squared: power floor before the logarithm.
POWER_MIN = 1e-10
#: The overview shows TOP_DB decibels below the loudest cell (librosa's ``top_db``).
TOP_DB = 80.0
#: Tile pixel value v means absolute level TILE_DB_AT_0 + v * TILE_DB_STEP dB (v = 0..255).
TILE_DB_AT_0 = -100.0
TILE_DB_STEP = 0.625


def power_db(power: float) -> float:
    """Absolute level of a power value, in dB (``10 * log10(max(power, 1e-10))``)."""
    return float(10 * np.log10(max(power, POWER_MIN)))


def tile_values(power: np.ndarray) -> np.ndarray:
    """Quantise power to tile pixel values on the fixed absolute scale.

    ``v = clip(round((10 * log10(max(power, 1e-10)) - TILE_DB_AT_0) / TILE_DB_STEP), 0, 255)``,
    halves rounded up; -100 dB and below is 0, +59.375 dB and above is 255.

    Returns
    -------
    np.ndarray [shape=power.shape, dtype=uint8]
    """
    level = np.maximum(power, POWER_MIN)
    np.log10(level, out=level)
    # (10 * log10(p) + 100) / 0.625 + 0.5, then truncation, is round-half-up.
    level *= 10 / TILE_DB_STEP
    level += -TILE_DB_AT_0 / TILE_DB_STEP + 0.5
    np.minimum(level, 255, out=level)
    return level.astype(np.uint8)


def colour_indices(
    power: np.ndarray, ref_power: float, *, out: np.ndarray | None = None
) -> np.ndarray:
    """Map power to viridis indices relative to the loudest cell, as matplotlib would.

    The level ``db = 10 * log10(max(power, 1e-10) / max(ref_power, 1e-10))``, floored at
    ``-TOP_DB``, is normalised to ``x = (db + TOP_DB) / TOP_DB`` in 0..1 and becomes
    index ``min(floor(x * 256), 255)``, matplotlib's ``Colormap`` rule. Digital
    silence (``ref_power <= 1e-10``) is all floor (index 0) rather than librosa's
    all-0 dB.

    Parameters
    ----------
    out : np.ndarray [shape=power.shape, dtype=uint8], optional
        Receives the indices.

    Returns
    -------
    np.ndarray [shape=power.shape, dtype=uint8]
    """
    if out is None:
        out = np.empty(power.shape, dtype=np.uint8)
    if ref_power <= POWER_MIN:
        out[...] = 0
        return out
    level = np.maximum(power, POWER_MIN)
    level /= ref_power
    np.log10(level, out=level)
    level *= 10 * 256 / TOP_DB
    level += 256
    np.clip(level, 0, 255, out=level)
    np.copyto(out, level, casting="unsafe")
    return out
