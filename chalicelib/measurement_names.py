"""The measurements Sonagram computes on every box: Raven's names, units and definitions,
plus SNR.

Pure standard library: the HTTP functions need the names (computed values are the server's,
never taken from a request or an imported file), /config.json serves :data:`MEASUREMENTS` to
the browser's column picker, exports order their columns by it, and the engine's measurer
(chalicelib/spectrogram/measure.py) computes exactly these keys.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Measurement:
    """One measurement: its key in a box's ``measurements`` (Raven's column name, unit in
    brackets), a short name for narrow columns, and what it means."""

    key: str
    short: str
    definition: str

    @property
    def decimals(self) -> int:
        """Decimals a value keeps, by its unit: finer than a sample (s), a bin (Hz) and any
        reading (dB, bits), as Raven writes its tables."""
        return _DECIMALS[self.key[self.key.rindex("(") :]]


_DECIMALS = {"(s)": 6, "(Hz)": 3, "(dB)": 2, "(bits)": 3}


MEASUREMENTS: tuple[Measurement, ...] = (
    Measurement("Delta Time (s)", "ΔT", "End time minus begin time."),
    Measurement("Delta Freq (Hz)", "ΔF", "High frequency minus low frequency."),
    Measurement(
        "Peak Freq (Hz)", "Peak F", "Frequency of the loudest cell of the box's spectrogram."
    ),
    Measurement("Peak Time (s)", "Peak T", "Time of the loudest cell of the box's spectrogram."),
    Measurement("Max Power (dB)", "Max P", "Power of the loudest cell, dB of |STFT|²."),
    Measurement(
        "Center Freq (Hz)",
        "Center F",
        "Frequency below which lies half of the box's energy (summed over time).",
    ),
    Measurement("Freq 5% (Hz)", "F 5%", "Frequency below which lies 5 % of the box's energy."),
    Measurement("Freq 95% (Hz)", "F 95%", "Frequency below which lies 95 % of the box's energy."),
    Measurement("BW 90% (Hz)", "BW 90%", "Freq 95 % minus Freq 5 %."),
    Measurement(
        "Center Time (s)",
        "Center T",
        "Time before which lies half of the box's energy (summed over its band).",
    ),
    Measurement(
        "Dur 90% (s)", "Dur 90%", "Time between 5 % and 95 % of the box's energy (over time)."
    ),
    Measurement(
        "Avg Entropy (bits)",
        "Entropy",
        "Mean over the box's frames of the Shannon entropy of each frame's in-band spectrum.",
    ),
    Measurement(
        "SNR (dB)",
        "SNR",
        "In-band power of the box over that of the same band just before and after it "
        "(signal power excess over noise, 10·log10((P_box − P_noise) / P_noise)).",
    ),
)
#: Every computed key, in column order.
NAMES: tuple[str, ...] = tuple(measurement.key for measurement in MEASUREMENTS)
#: Decimals each computed key keeps.
DECIMALS: dict[str, int] = {measurement.key: measurement.decimals for measurement in MEASUREMENTS}


def measurements_json() -> list[dict]:
    """:data:`MEASUREMENTS` for the browser (served in /config.json)."""
    return [asdict(measurement) for measurement in MEASUREMENTS]
