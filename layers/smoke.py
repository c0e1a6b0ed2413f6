"""Prove a built layer works on its own: ``PYTHONPATH=LAYER python -S -s -P -B layers/smoke.py``.

Run without site-packages (``-S -s``) and without this folder on the path (``-P``) so that
only the standard library and the layer are importable, as on Lambda: a module found in a
developer's venv would hide a file the pruning removed. ``-B`` keeps the layer unchanged.
"""

import importlib.util
import io
import os
from pathlib import Path

import av
import numpy
import soundfile

RATE = 22050
TONE_HZ = 440.0


def tone(seconds: float) -> numpy.ndarray:
    t = numpy.arange(int(seconds * RATE)) / RATE
    return (0.5 * numpy.sin(2 * numpy.pi * TONE_HZ * t)).astype(numpy.float32)


def peak_hz(samples) -> float:
    spectrum = numpy.abs(numpy.fft.rfft(samples * numpy.hanning(len(samples))))
    return float(numpy.fft.rfftfreq(len(samples), 1 / RATE)[spectrum.argmax()])


def encode_with_av(samples, container: str, codec: str) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as out:
        stream = out.add_stream(codec, rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples[None, :], format="flt", layout="mono")
        frame.sample_rate = RATE
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def decode_with_av(data: bytes):
    with av.open(io.BytesIO(data)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        chunks = [
            out.to_ndarray()[0]
            for frame in container.decode(audio=0)
            for out in resampler.resample(frame)
        ]
    return numpy.concatenate(chunks)


def check_tone(name: str, samples, seconds: float) -> None:
    # Lossy codecs add encoder delay and pad the last frame (AAC: 1024 + up to 1024 samples):
    # allow 0.1 s on length and one FFT bin on pitch.
    assert abs(len(samples) - seconds * RATE) < 0.1 * RATE, (name, len(samples))
    assert abs(peak_hz(samples) - TONE_HZ) < 2 * RATE / len(samples), (name, peak_hz(samples))


def main() -> None:
    layer = Path(os.environ["PYTHONPATH"]).resolve()
    for module in (numpy, soundfile, av):
        assert Path(module.__file__).is_relative_to(layer), f"{module.__name__}: {module.__file__}"
    # The worker's tables (pynamodb) and its logs and metrics (Powertools) import botocore and
    # jmespath, which the Lambda runtime (not the layer) provides: only check that the layer
    # carries them.
    for name in ("pynamodb", "aws_lambda_powertools"):
        spec = importlib.util.find_spec(name)
        assert spec and Path(spec.origin).is_relative_to(layer), f"{name} is not in the layer"

    seconds = 1.0
    samples = tone(seconds)

    wav = io.BytesIO()
    soundfile.write(wav, samples, RATE, format="WAV", subtype="PCM_16")
    wav.seek(0)
    decoded, rate = soundfile.read(wav, dtype="float32")
    assert rate == RATE and len(decoded) == len(samples)
    check_tone("wav", decoded, seconds)

    mp3 = encode_with_av(samples, "mp3", "libmp3lame")
    decoded, rate = soundfile.read(io.BytesIO(mp3), dtype="float32")
    assert rate == RATE
    check_tone("mp3 via libsndfile", decoded, seconds)
    check_tone("mp3 via av", decode_with_av(mp3), seconds)

    # M4A/AAC is why PyAV ships at all: libsndfile cannot read it.
    check_tone("m4a via av", decode_with_av(encode_with_av(samples, "mp4", "aac")), seconds)

    # numpy's bundled OpenBLAS backs matmul; a missing numpy.libs file fails here, not at import.
    frames = numpy.lib.stride_tricks.sliding_window_view(samples, 512)[::256]
    power = numpy.abs(numpy.fft.rfft(frames, axis=1)) ** 2
    assert numpy.allclose(power @ numpy.eye(power.shape[1]), power)

    print(
        f"ok: numpy {numpy.__version__}, soundfile {soundfile.__version__} "
        f"(libsndfile {soundfile.__libsndfile_version__}), av {av.__version__}: "
        "WAV, MP3 and M4A decoded"
    )


if __name__ == "__main__":
    main()
