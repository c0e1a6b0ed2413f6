"""Horizontal stripes: how much the rows of white noise's spectrogram differ from their neighbours.

White noise has the same level at every frequency, so every row of its spectrogram
should be equally bright on average. The measure: each row's mean level in dB, minus
the moving average of the 15 rows centred on it (rows closer than 7 to an edge are
left out), and the standard deviation of those differences. It is taken of the
overview (palette indices read back as dB) and of every tile level (tile values read
back as dB), each a 30 s recording of seeded white noise rendered by the engine, as
``sonagram render`` does. librosa + matplotlib draw such noise at 0.12-0.13 dB.
"""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf
from PIL import Image

from bench.plan import CACHE, INPUTS, Plan, progress
from bench.report import Row, Target
from chalicelib.spectrogram import Rendering, render
from chalicelib.spectrogram.colormap import VIRIDIS
from chalicelib.spectrogram.scale import TOP_DB

NOISE_S = 30.0
#: Rows averaged around each row to take out the slow trend.
MOVING_ROWS = 15
#: From 8 to 384 kHz: the rates field recorders and bat detectors write.
SAMPLE_RATES = (8000, 16000, 22050, 32000, 44100, 48000, 96000, 192000, 384000)
#: Issue #16's bound, in dB, on the overview and on every tile level.
MAX_RIPPLE_DB = 0.2


def white_noise(sample_rate: int, seconds: float = NOISE_S, *, seed: int = 16) -> bytes:
    """A mono float WAV of seeded white noise (RMS 0.1), as bytes."""
    noise = 0.1 * np.random.default_rng(seed).standard_normal(round(seconds * sample_rate))
    out = io.BytesIO()
    sf.write(out, noise.astype(np.float32), sample_rate, format="WAV", subtype="FLOAT")
    return out.getvalue()


def row_ripple_db(image_db: np.ndarray) -> float:
    """Standard deviation, in dB, of the row means minus their 15-row moving average.

    ``image_db`` is ``(rows, columns)`` of levels in dB.
    """
    means = image_db.mean(axis=1)
    trend = np.convolve(means, np.ones(MOVING_ROWS) / MOVING_ROWS, mode="valid")
    half = MOVING_ROWS // 2
    return float(np.std(means[half:-half] - trend))


def overview_db(png: bytes) -> np.ndarray:
    """An overview's levels in dB relative to its loudest cell (each colour's middle).

    The engine's palette PNG gives its indices; an RGB(A) image, the reference's, is
    read by the nearest viridis colour.
    """
    image = Image.open(io.BytesIO(png))
    if image.mode == "P":
        indices = np.asarray(image, dtype=np.float64)
    else:
        rgb = np.asarray(image.convert("RGB"), dtype=np.int32)
        colours, where = np.unique(rgb.reshape(-1, 3), axis=0, return_inverse=True)
        distance = ((colours[:, None, :] - VIRIDIS.astype(np.int32)) ** 2).sum(axis=2)
        indices = distance.argmin(axis=1)[where].reshape(rgb.shape[:2]).astype(np.float64)
    return (indices + 0.5) * TOP_DB / 256 - TOP_DB


def render_with_tiles(source: io.BytesIO, name: str) -> tuple[Rendering, dict[str, bytes]]:
    """Render ``source`` with every tile; the rendering and its tile objects by key."""
    objects: dict[str, bytes] = {}
    rendering = render(
        source, name=name, tile_sink=lambda key, data: objects.__setitem__(key, bytes(data))
    )
    return rendering, objects


def tile_levels_db(manifest: dict, objects: dict[str, bytes]) -> list[np.ndarray]:
    """Each tile level's whole image, tiles side by side, in absolute dB."""
    db = manifest["db_range"]
    levels = []
    for level in manifest["tile_levels"]:
        tiles = sorted(
            (t for t in manifest["tiles"] if t["level"] == level["level"]), key=lambda t: t["index"]
        )
        pngs = [objects[t["object"]][t["offset"] : t["offset"] + t["length"]] for t in tiles]
        values = np.concatenate([np.asarray(Image.open(io.BytesIO(p))) for p in pngs], axis=1)
        levels.append(db["tile_db_at_0"] + values * db["tile_db_step"])
    return levels


def ripples(sample_rate: int, seconds: float = NOISE_S) -> dict:
    """The measure on white noise at ``sample_rate``: ``overview`` and ``levels`` (finest
    first), in dB."""
    rendering, objects = render_with_tiles(
        io.BytesIO(white_noise(sample_rate, seconds)), f"white noise {sample_rate} Hz.wav"
    )
    return {
        "overview": row_ripple_db(overview_db(rendering.overview_png)),
        "levels": [row_ripple_db(level) for level in tile_levels_db(rendering.manifest, objects)],
    }


def banding_rows(plan: Plan) -> list[Row]:
    """Per sample rate, the engine's worst figure (overview or a tile level) beside the
    reference's (librosa + matplotlib drawing the same noise); the same in every plan."""
    from bench import reference

    progress(f"importing librosa took {reference.import_librosa(CACHE):.1f} s (not timed)")
    INPUTS.mkdir(parents=True, exist_ok=True)
    rows = []
    for sample_rate in SAMPLE_RATES:
        progress(f"white noise at {sample_rate} Hz: engine and reference")
        engine = ripples(sample_rate)
        path = INPUTS / f"white-noise-{sample_rate}.wav"
        path.write_bytes(white_noise(sample_rate))
        drawn = row_ripple_db(overview_db(reference.render(path)))
        rows.append(
            Row(
                "white noise: row means' spread around their 15-row average",
                f"{NOISE_S:g} s at {sample_rate / 1000:g} kHz",
                max(engine["overview"], *engine["levels"]),
                "dB",
                drawn,
                "librosa + matplotlib",
                target=Target("<=", MAX_RIPPLE_DB, of="measured"),
                details=engine,
            )
        )
    return rows
