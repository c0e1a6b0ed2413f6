"""Rendering from ranged reads (as the worker reads S3) is rendering from the file itself."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from chalicelib.errors import StorageError
from chalicelib.ranged_file import RangedFile
from chalicelib.spectrogram import NotAudioError, render

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "XC249066_Willisornis_poecilinotus.mp3"
# Small chunks: every decoder read crosses chunk boundaries and the read-ahead.
CHUNK = 64 * 1024


def ranged(data: bytes, reads: list | None = None, chunk_bytes: int = CHUNK) -> RangedFile:
    def fetch(start: int, stop: int) -> bytes:
        if reads is not None:
            reads.append((start, stop))
        return data[start:stop]

    return RangedFile(fetch, len(data), chunk_bytes=chunk_bytes)


def rendered(source, name: str) -> tuple[bytes, dict, dict[str, bytes]]:
    tiles: dict[str, bytes] = {}
    rendering = render(source, name=name, tile_sink=tiles.__setitem__)
    return rendering.overview_png, rendering.manifest, tiles


@pytest.mark.parametrize("name", ["a.wav", "a.flac", "a.ogg", "a.mp3", "a.m4a", "a.opus"])
def test_every_format_renders_bit_identically_from_ranged_reads(write_audio, rng, name):
    noise = (rng.standard_normal((3 * 48000, 2)) * 0.2).astype(np.float32)
    path = write_audio(name, noise, 48000)
    with ranged(path.read_bytes()) as source:
        assert rendered(source, name) == rendered(path, name)


def test_the_field_recording_renders_bit_identically_reading_it_about_once():
    data = SAMPLE.read_bytes()
    reads: list[tuple[int, int]] = []
    with ranged(data, reads) as source:
        assert rendered(source, SAMPLE.name) == rendered(SAMPLE, SAMPLE.name)
    # libsndfile looks at the tags at the end, then goes back to the start: a chunk or two
    # more, never the file again.
    assert len(data) <= sum(stop - start for start, stop in reads) <= len(data) + 2 * CHUNK


def test_reads_fill_the_buffer_across_chunks_and_seek_anywhere():
    data = bytes(range(256)) * 1000
    with ranged(data, chunk_bytes=1000) as source:
        assert source.read(2500) == data[:2500]
        assert source.seek(-10, io.SEEK_END) == len(data) - 10
        assert source.read() == data[-10:]
        source.seek(123_456)
        assert source.read(3) == data[123_456:123_459]


def test_a_storage_failure_midway_is_raised_not_rendered_as_a_shorter_file(write_audio, rng):
    data = write_audio("a.wav", rng.standard_normal(10 * 16000).astype(np.float32) * 0.1, 16000)
    data = data.read_bytes()

    def fetch(start: int, stop: int) -> bytes:
        if start >= len(data) // 2:
            raise StorageError("could not read s3://recordings/a.wav: SlowDown", retryable=True)
        return data[start:stop]

    with (
        pytest.raises(StorageError, match="SlowDown"),
        RangedFile(fetch, len(data), chunk_bytes=CHUNK) as source,
    ):
        render(source, name="a.wav")


def test_a_file_object_that_is_not_audio_is_not_audio():
    with pytest.raises(NotAudioError, match="'notes.wav' is not an audio file"):
        render(io.BytesIO(b"Field notes, 5 May.\n" * 50), name="notes.wav")
