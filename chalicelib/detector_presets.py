"""A band-limited energy detector's settings: Raven's parameters, their units, defaults and
limits, and one sentence each for the people who set them.

Pure standard library: the HTTP functions validate presets with it, /config.json serves
:data:`PARAMETERS` to the browser (one source for the form's units and explanations), and
the engine's detector (chalicelib/spectrogram/detector.py) runs them.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, fields

from chalicelib.audio_types import PLAIN_TEXT

MAX_PRESETS = 10
MAX_NAME = 60
NAME = re.compile(PLAIN_TEXT)
#: A proposal's ``source`` is this followed by its preset's name.
SOURCE_PREFIX = "detector:"
#: Where a proposal's band comes from.
BANDS = ("energy", "preset")


class PresetError(ValueError):
    """A preset we refuse; the message names the preset and the field."""


@dataclass(frozen=True)
class Parameter:
    """One number of a preset, as the form shows it."""

    name: str
    label: str
    unit: str
    default: float
    minimum: float
    maximum: float
    explanation: str


PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "min_freq_hz",
        "Min frequency",
        "Hz",
        1000.0,
        0.0,
        500_000.0,
        "Lowest frequency of the band the detector listens to.",
    ),
    Parameter(
        "max_freq_hz",
        "Max frequency",
        "Hz",
        10_000.0,
        1.0,
        500_000.0,
        "Highest frequency of the band; above a recording's Nyquist frequency it stops there.",
    ),
    Parameter(
        "min_duration_s",
        "Min duration",
        "s",
        0.05,
        0.0,
        60.0,
        "Events shorter than this are refused as too short.",
    ),
    Parameter(
        "max_duration_s",
        "Max duration",
        "s",
        5.0,
        0.001,
        3600.0,
        "Events longer than this are refused as too long.",
    ),
    Parameter(
        "min_separation_s",
        "Min separation",
        "s",
        0.1,
        0.0,
        60.0,
        "Loud stretches closer together than this are joined into one event.",
    ),
    Parameter(
        "noise_block_s",
        "Noise block size",
        "s",
        5.0,
        0.1,
        600.0,
        "Length of the stretch of audio whose quiet part estimates the background noise.",
    ),
    Parameter(
        "noise_hop_s",
        "Noise block hop size",
        "s",
        1.0,
        0.01,
        600.0,
        "How far the noise block slides between two noise estimates.",
    ),
    Parameter(
        "noise_percentile",
        "Noise percentile",
        "%",
        20.0,
        0.0,
        100.0,
        "Which percentile of the block's in-band power is taken as the noise level.",
    ),
    Parameter(
        "snr_threshold_db",
        "SNR threshold",
        "dB",
        6.0,
        0.0,
        100.0,
        "A frame is loud when its in-band power is this far above the noise level.",
    ),
    Parameter(
        "min_occupancy_pct",
        "Min occupancy",
        "%",
        # Not Raven's 70: trills (notes with gaps) and calls joined to a nearby rain drop
        # fall below 70 % at 10 dB SNR; at 50 the labelled set's recall there goes from
        # 0.85 to 1.00, its precision from 0.96 to 0.90 (docs/detection.md).
        50.0,
        0.0,
        100.0,
        "Share of an event's frames that must be loud; sparser events are refused.",
    ),
)
_BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}


@dataclass(frozen=True)
class DetectorPreset:
    """A named set of detector parameters (see :data:`PARAMETERS` for units and meaning).

    ``enabled`` presets run on every upload into their project; ``band`` says whether a
    proposal spans the event's 5-95 % energy band (``"energy"``) or the preset's band.
    """

    name: str
    enabled: bool = True
    band: str = "energy"
    min_freq_hz: float = _BY_NAME["min_freq_hz"].default
    max_freq_hz: float = _BY_NAME["max_freq_hz"].default
    min_duration_s: float = _BY_NAME["min_duration_s"].default
    max_duration_s: float = _BY_NAME["max_duration_s"].default
    min_separation_s: float = _BY_NAME["min_separation_s"].default
    noise_block_s: float = _BY_NAME["noise_block_s"].default
    noise_hop_s: float = _BY_NAME["noise_hop_s"].default
    noise_percentile: float = _BY_NAME["noise_percentile"].default
    snr_threshold_db: float = _BY_NAME["snr_threshold_db"].default
    min_occupancy_pct: float = _BY_NAME["min_occupancy_pct"].default

    @property
    def source(self) -> str:
        """The ``source`` of the boxes this preset proposes."""
        return f"{SOURCE_PREFIX}{self.name}"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: object, *, where: str = "preset") -> DetectorPreset:
        """A preset from its JSON object; absent numbers take their defaults.

        Raises
        ------
        PresetError
            Naming ``where`` (and the preset's name, once known) and the field.
        """
        if not isinstance(raw, dict):
            raise PresetError(f"{where}: a preset must be an object, not {raw!r:.80}")
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(raw) - known, key=str)
        if unknown:
            raise PresetError(
                f"{where}: unknown field(s) {', '.join(map(repr, unknown))}; "
                f"a preset has {', '.join(sorted(known))}"
            )
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise PresetError(f"{where}: name must be 1-{MAX_NAME} characters, not {name!r:.80}")
        if not NAME.fullmatch(name):
            raise PresetError(f"{where}: name {name!r} holds control characters")
        where = f"{where} ({name!r})"
        values: dict = {"name": name}
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise PresetError(f"{where}: enabled must be true or false, not {enabled!r:.80}")
        values["enabled"] = enabled
        band = raw.get("band", "energy")
        if band not in BANDS:
            raise PresetError(f"{where}: band must be one of {', '.join(BANDS)}, not {band!r:.80}")
        values["band"] = band
        for parameter in PARAMETERS:
            value = raw.get(parameter.name, parameter.default)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or not parameter.minimum <= value <= parameter.maximum
            ):
                raise PresetError(
                    f"{where}: {parameter.name} must be a number from {parameter.minimum:g} to "
                    f"{parameter.maximum:g} {parameter.unit}, not {value!r:.80}"
                )
            values[parameter.name] = float(value)
        preset = cls(**values)
        for low, high in (
            ("min_freq_hz", "max_freq_hz"),
            ("min_duration_s", "max_duration_s"),
        ):
            if values[low] >= values[high]:
                raise PresetError(
                    f"{where}: {low} ({values[low]:g} {_BY_NAME[low].unit}) must be below "
                    f"{high} ({values[high]:g} {_BY_NAME[high].unit})"
                )
        if values["noise_hop_s"] > values["noise_block_s"]:
            raise PresetError(
                f"{where}: noise_hop_s ({values['noise_hop_s']:g} s) must not exceed "
                f"noise_block_s ({values['noise_block_s']:g} s): every frame needs a noise level"
            )
        return preset


def presets_from_json(raw: object, *, where: str = "detectors") -> list[DetectorPreset]:
    """A project's list of presets: at most :data:`MAX_PRESETS`, names unique."""
    if not isinstance(raw, list):
        raise PresetError(f"{where} must be a list of presets, not {raw!r:.80}")
    if len(raw) > MAX_PRESETS:
        raise PresetError(f"{where} lists {len(raw)} presets; a project has at most {MAX_PRESETS}")
    presets = [DetectorPreset.from_json(item, where=f"{where}[{i}]") for i, item in enumerate(raw)]
    seen: set[str] = set()
    for preset in presets:
        if preset.name in seen:
            raise PresetError(f"{where}: two presets are named {preset.name!r}")
        seen.add(preset.name)
    return presets


def parameters_json() -> list[dict]:
    """:data:`PARAMETERS` for the browser's preset form (served in /config.json)."""
    return [asdict(parameter) for parameter in PARAMETERS]
