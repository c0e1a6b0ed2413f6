"""Decoding every supported format, and the errors a person sees for bad files."""

from __future__ import annotations

import io
import re
import struct
import time
from pathlib import Path

import av
import numpy as np
import pytest
from fresh import modules_after
from PIL import Image

from chalicelib.audio_types import AUDIO_TYPES
from chalicelib.spectrogram import (
    AudioError,
    EmptyAudioError,
    NotAudioError,
    RenderTimeout,
    TooLongError,
    render,
)
from chalicelib.spectrogram.decode import AUDIO_EXTENSIONS, describe_duration

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "sample_rate", "channels"),
    [
        ("a.wav", 44100, 2),
        ("a.flac", 96000, 1),
        ("a.ogg", 22050, 2),
        ("a.mp3", 44100, 1),
        ("a.m4a", 48000, 2),
        ("a.opus", 48000, 1),
        ("a.aiff", 32000, 1),
    ],
)
def test_every_format_decodes(write_audio, make_tone, name, sample_rate, channels):
    duration_s = 3.0
    samples = np.repeat(make_tone(2000, duration_s, sample_rate)[:, None], channels, axis=1)
    rendering = render(write_audio(name, samples, sample_rate), name=name)
    assert (rendering.sample_rate, rendering.channels) == (sample_rate, channels)
    # Lossy codecs add a few ms of encoder delay and padding.
    assert rendering.duration_s == pytest.approx(duration_s, abs=0.06)
    indices = np.asarray(Image.open(io.BytesIO(rendering.overview_png)))
    row = int(np.argmax(indices.astype(float).mean(axis=1)))
    assert abs(row - (399 - 80)) <= 1  # 2 kHz of 10 kHz


def test_the_api_accepts_the_extensions_the_engine_decodes():
    assert set(AUDIO_TYPES) == AUDIO_EXTENSIONS


@pytest.mark.parametrize(
    ("names", "loads_pyav"), [(("a.wav", "a.flac", "a.mp3"), False), (("a.m4a",), True)]
)
def test_pyav_is_imported_only_for_files_libsndfile_cannot_read(
    write_audio, make_tone, names, loads_pyav
):
    paths = [str(write_audio(name, make_tone(1000, 1.0, 44100), 44100)) for name in names]
    # A fresh interpreter: this one imported PyAV to write the MP3 and the M4A.
    loaded = modules_after(
        "import sys; from chalicelib.spectrogram import render; "
        "[render(path, name=path) for path in sys.argv[1:]]",
        *paths,
    )
    assert ("av" in loaded) == loads_pyav


def test_a_text_file_named_wav_is_not_audio(tmp_path):
    path = tmp_path / "upload.wav"
    path.write_text("Field notes, 5 May: two calls near the pond.\n" * 20)
    with pytest.raises(NotAudioError, match=r"^'birds\.wav' is not an audio file"):
        render(path, name="birds.wav")


def test_a_damaged_header_is_not_audio(write_audio, make_tone):
    path = write_audio("a.flac", make_tone(1000, 1.0, 16000), 16000)
    data = bytearray(path.read_bytes())
    data[:64] = bytes(64)
    path.write_bytes(bytes(data))
    with pytest.raises(NotAudioError, match="^'a.flac' is not an audio file"):
        render(path, name="a.flac")


def test_a_zero_byte_file_is_empty(tmp_path):
    path = tmp_path / "x.wav"
    path.touch()
    with pytest.raises(EmptyAudioError, match=r"^'dawn\.wav' is empty \(0 bytes\)"):
        render(path, name="dawn.wav")


def test_a_wav_without_samples_is_empty(write_audio):
    path = write_audio("none.wav", np.zeros(0, dtype=np.float32), 44100)
    with pytest.raises(EmptyAudioError, match="'none.wav' contains no audio samples"):
        render(path, name="none.wav")


@pytest.mark.parametrize("name", ["long.wav", "long.m4a"])
def test_a_recording_over_the_limit_is_too_long(write_audio, make_tone, name):
    path = write_audio(name, make_tone(1000, 2.0, 16000), 16000)
    with pytest.raises(
        TooLongError, match=rf"^'{name}' is 2(\.\d+)? s long, longer than the 1.5 s limit"
    ):
        render(path, name=name, max_duration_s=1.5)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(14400, "4 h"), (5400, "1 h 30 min"), (125, "2 min 5 s"), (120, "2 min"), (0.5, "0.5 s")],
)
def test_durations_read_naturally(seconds, text):
    assert describe_duration(seconds) == text


def test_the_default_limit_is_4_h(tmp_path):
    # A 16-bit 8 kHz WAV of 4 h 1 min, as a sparse file: the header is all that is read.
    data_bytes = (4 * 3600 + 60) * 8000 * 2
    header = b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
    header += b"data" + struct.pack("<I", data_bytes)
    path = tmp_path / "night.wav"
    with path.open("wb") as f:
        f.write(header)
        f.truncate(len(header) + data_bytes)
    with pytest.raises(
        TooLongError, match="'night.wav' is 4 h 1 min long, longer than the 4 h limit"
    ):
        render(path, name="night.wav")


def test_a_passed_deadline_raises_render_timeout_not_audio_error(write_audio, make_tone):
    path = write_audio("a.wav", make_tone(1000, 2.0, 16000), 16000)
    with pytest.raises(RenderTimeout) as raised:
        render(path, name="a.wav", deadline=time.monotonic() - 1)
    assert not isinstance(raised.value, AudioError)


def test_audio_errors_are_value_errors():
    assert issubclass(AudioError, ValueError)
    for error in (NotAudioError, EmptyAudioError, TooLongError):
        assert issubclass(error, AudioError)


def test_a_failing_tile_sink_fails_the_rendering_with_its_own_error(write_audio, make_tone):
    class StorageDown(Exception):
        pass

    def sink(key: str, data: bytearray) -> None:
        raise StorageDown(key)

    path = write_audio("a.wav", make_tone(1000, 30.0, 16000), 16000)
    with pytest.raises(StorageDown, match="tiles/0-0.pngs"):
        render(path, name="a.wav", tile_sink=sink)


def test_an_image_named_wav_is_not_wav(tmp_path):
    path = tmp_path / "photo.wav"
    Image.fromarray(np.zeros((8, 8), dtype=np.uint8)).save(path, format="PNG")
    with pytest.raises(NotAudioError, match=r"^'photo\.wav' is not an audio file .*not WAV"):
        render(path, name="photo.wav")


def test_a_video_without_sound_has_no_audio_track(tmp_path):
    path = tmp_path / "clip.m4a"
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("mpeg4", rate=10)
        stream.width = stream.height = 16
        frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), dtype=np.uint8), format="rgb24")
        for packet in (*stream.encode(frame), *stream.encode(None)):
            out.mux(packet)
    with pytest.raises(
        NotAudioError, match=r"^'clip\.m4a' is not an audio file .*holds no M4A .* audio track"
    ):
        render(path, name="clip.m4a")


@pytest.mark.parametrize(
    ("written", "named", "holds"),
    [
        # libsndfile reads the header whatever the name: what it finds must be what is named.
        ("a.flac", "dawn.wav", "a .wav file holds WAV audio, this one holds FLAC"),
        ("a.mp3", "dawn.m4a", "a .m4a file holds M4A .*, this one holds MP3"),
        # FFmpeg is told the container and does not guess another.
        ("a.m4a", "dawn.aac", "it holds no AAC .* audio track"),
        ("a.m4a", "dawn.mp3", "its content is not MP3"),
    ],
)
def test_a_file_holding_another_format_than_its_name_says_is_refused(
    write_audio, make_tone, written, named, holds
):
    path = write_audio(written, make_tone(1000, 1.0, 44100), 44100)
    with pytest.raises(NotAudioError, match=rf"^'{re.escape(named)}' is not .*{holds}"):
        render(path, name=named)


def test_a_name_without_an_audio_extension_is_refused(write_audio, make_tone):
    path = write_audio("a.wav", make_tone(1000, 1.0, 44100), 44100)
    with pytest.raises(NotAudioError, match=r"^'dawn\.wv' is not .*does not end in \.aac, \.aif"):
        render(path, name="dawn.wv")
