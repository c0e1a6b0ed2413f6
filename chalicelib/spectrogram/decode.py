"""Streaming decode of an audio file to mono float32 blocks at its own sample rate.

The file's extension names its container (:data:`CONTAINERS`), and the file is read as
that or refused. libsndfile (via soundfile) reads WAV, FLAC, OGG/Vorbis, MP3 and AIFF;
everything it refuses, and Opus, goes through FFmpeg (via PyAV) told the container, which
adds M4A/AAC and Opus. PyAV is imported only when a file needs it: importing it costs
~60 ms, a third of the CLI's start. Only one block is held at a time, so memory does not
grow with the file's length. :func:`open_seekable` decodes spans of a file alone, from
any sample (the measurements read only what their boxes need).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import soundfile as sf

from .errors import AudioError, EmptyAudioError, NotAudioError, TooLongError

if TYPE_CHECKING:
    import av


@dataclass(frozen=True)
class Container:
    """The audio container a file extension names."""

    #: Its name for people.
    label: str
    #: FFmpeg's demuxer for it: FFmpeg reads a file as this and nothing else, never
    #: guessing the format of untrusted data (a playlist or an image named .wav, say).
    demuxer: str
    #: libsndfile's major formats that are this container (libsndfile reads a header
    #: whatever the name; what it finds must be one of these).
    soundfile: frozenset[str] = frozenset()


_OGG = Container("Ogg", "ogg", frozenset({"OGG"}))
_AIFF = Container("AIFF", "aiff", frozenset({"AIFF"}))
#: The file extensions the engine decodes, each with its container; ``sonagram render``
#: looks for these in folders. The API accepts uploads by the same ones
#: (``chalicelib/audio_types.py``, with their content types): that table stays in the
#: domain because the HTTP path must not import this package (numpy). A test keeps the
#: two equal.
CONTAINERS = {
    ".wav": Container("WAV", "wav", frozenset({"WAV", "WAVEX", "RF64"})),
    ".flac": Container("FLAC", "flac", frozenset({"FLAC"})),
    ".mp3": Container("MP3", "mp3", frozenset({"MP3"})),
    ".ogg": _OGG,
    ".oga": _OGG,
    ".opus": _OGG,
    ".m4a": Container("M4A (MPEG-4)", "mp4"),
    ".aac": Container("AAC (ADTS)", "aac"),
    ".aif": _AIFF,
    ".aiff": _AIFF,
}
AUDIO_EXTENSIONS = frozenset(CONTAINERS)

#: Samples per decoded block; large enough that per-block Python overhead is noise.
BLOCK_SAMPLES = 1 << 16

_FORMATS_HINT = "Sonagram reads WAV, FLAC, OGG, Opus, MP3, M4A/AAC and AIFF files."


def describe_duration(seconds: float) -> str:
    """Format a duration for people: ``'4 h'``, ``'1 h 30 min'``, ``'2 min 5 s'``, ``'0.5 s'``."""
    if seconds >= 3600:
        hours, minutes = divmod(round(seconds / 60), 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if seconds >= 60:
        minutes, secs = divmod(round(seconds), 60)
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{seconds:.3g} s"


def _too_long(name: str, seconds: float, max_duration_s: float) -> TooLongError:
    return TooLongError(
        f"'{name}' is {describe_duration(seconds)} long, longer than the "
        f"{describe_duration(max_duration_s)} limit. Split it into shorter parts and "
        "upload those."
    )


@dataclass
class AudioStream:
    """An opened audio file that yields mono float32 blocks.

    Attributes
    ----------
    sample_rate : int
        The file's own sample rate, in Hz.
    channels : int
        Channels in the file (the blocks are their mean).
    blocks : iterator of np.ndarray
        1-D float32 mono blocks (each non-empty) until the end of the file; closes
        the file when exhausted or closed.
    """

    sample_rate: int
    channels: int
    blocks: Iterator[np.ndarray]


def open_audio(
    path: str | os.PathLike | BinaryIO,
    *,
    name: str,
    max_duration_s: float,
    block_size: int = BLOCK_SAMPLES,
) -> AudioStream:
    """Open ``path`` for streaming decode, rejecting what cannot be rendered early.

    Parameters
    ----------
    path : str, os.PathLike or binary file object
        Audio file to read: a path, or a readable, seekable file object (read from its
        start; the worker's reads ranges of S3). Both decode to the same samples.
    name : str
        The file's name as the user knows it, quoted in error messages. Its extension
        says the container (:data:`CONTAINERS`): the file is read as that or refused.
    max_duration_s : float > 0
        Longest accepted recording, in seconds. Checked against the length the
        container announces here (a hint: MP3 and FFmpeg lengths can be off by a
        fraction of a percent) and against the decoded length while reading.
    block_size : int > 0
        Samples per block, at least; FFmpeg blocks may be slightly longer.

    Returns
    -------
    AudioStream

    Raises
    ------
    EmptyAudioError
        The file has 0 bytes.
    NotAudioError
        ``name`` has no extension of :data:`CONTAINERS`, or the content is not the
        container it names, or has no audio stream.
    TooLongError
        The announced length exceeds ``max_duration_s``.
    FileNotFoundError
        ``path`` does not exist.
    """
    opened = _open_checked(path, name, max_duration_s)
    if isinstance(opened, sf.SoundFile):
        blocks = _soundfile_blocks(opened, name, max_duration_s, block_size)
        return AudioStream(opened.samplerate, opened.channels, _closing(blocks, opened.close))
    container, stream = opened
    blocks = _ffmpeg_blocks(container, stream, name, max_duration_s, block_size)
    return AudioStream(
        stream.codec_context.sample_rate,
        stream.codec_context.layout.nb_channels,
        _closing(blocks, container.close),
    )


class SeekableAudio:
    """An opened audio file whose mono float32 blocks can start at any sample.

    Attributes
    ----------
    sample_rate : int
        The file's own sample rate, in Hz.
    channels : int
        Channels in the file (the blocks are their mean).
    """

    def __init__(self, sample_rate: int, channels: int, blocks_from, close) -> None:
        self.sample_rate, self.channels = sample_rate, channels
        self._blocks_from, self._close = blocks_from, close

    def blocks_from(self, start: int) -> Iterator[np.ndarray]:
        """Mono blocks from sample ``start`` (0-based, >= 0) to the end of the file.

        The samples are those :func:`open_audio` decodes from the start, from ``start``
        on (lossy formats: to within the decoder's rounding). Close or exhaust one
        iterator before asking for the next: they share the file.
        """
        if start < 0:
            raise ValueError(f"start must be >= 0, got {start}")
        return self._blocks_from(start)

    def close(self) -> None:
        self._close()

    def __enter__(self) -> SeekableAudio:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_seekable(
    path: str | os.PathLike | BinaryIO,
    *,
    name: str,
    max_duration_s: float,
    block_size: int = BLOCK_SAMPLES,
) -> SeekableAudio:
    """Open ``path`` to decode spans of it alone; checks and errors as :func:`open_audio`.

    libsndfile seeks WAV, FLAC, OGG and AIFF itself. FFmpeg seeks to a packet at least
    :data:`SEEK_PREROLL_S` before the span (so the decoder's state is warm at the span's
    first sample) and drops the samples before it, placed by their timestamps counted
    from the stream's first. MP3 goes through FFmpeg too when both decoders give the
    same first seconds: libsndfile's MP3 seek reads the file up to the span (an hour's
    MP3 read through to measure one box at its end), FFmpeg's jumps there.
    """
    opened = _open_checked(path, name, max_duration_s)
    named = CONTAINERS[os.path.splitext(name)[1].lower()]
    if not isinstance(opened, sf.SoundFile):
        spans = _FFmpegSpans(path, name, named, max_duration_s, block_size, opened)
        return SeekableAudio(spans.sample_rate, spans.channels, spans.blocks_from, spans.close)
    if opened.format == "MP3":
        spans = _ffmpeg_if_same(opened, path, name, named, max_duration_s, block_size)
        opened.close()
        if spans is not None:
            return SeekableAudio(spans.sample_rate, spans.channels, spans.blocks_from, spans.close)
        # Opened again: FFmpeg moved a shared file object under libsndfile's reader.
        opened = sf.SoundFile(_rewound(path))

    def soundfile_from(start: int) -> Iterator[np.ndarray]:
        try:
            opened.seek(start)
        except sf.LibsndfileError:
            return  # past the end: libsndfile refuses to seek there
        yield from _soundfile_blocks(opened, name, max_duration_s, block_size, start=start)

    return SeekableAudio(opened.samplerate, opened.channels, soundfile_from, opened.close)


#: Seconds of an MP3's start that libsndfile and FFmpeg must decode alike (within
#: :data:`_SAME_SAMPLES`, float rounding) for FFmpeg to decode its spans: the two agree on
#: the encoder's delay when the file says it (LAME's header), and may not otherwise.
_SAME_START_S = 2.0
_SAME_SAMPLES = 1e-4
#: Below this peak the start is too quiet to show whether the decoders agree.
_AUDIBLE = 1e-3


def _ffmpeg_if_same(handle: sf.SoundFile, path, name, named, max_duration_s, block_size):
    """FFmpeg's spans of an MP3 libsndfile opened, if FFmpeg decodes its start alike."""
    wanted = round(_SAME_START_S * handle.samplerate)
    start = handle.read(wanted, dtype="float32", always_2d=True).mean(axis=1)
    try:
        spans = _FFmpegSpans(
            path,
            name,
            named,
            max_duration_s,
            block_size,
            _open_ffmpeg(_rewound(path), name, named, max_duration_s),
        )
    except AudioError:
        return None
    decoded: list[np.ndarray] = []
    with closing(spans.blocks_from(0)) as blocks:
        for block in blocks:
            decoded.append(block)
            if sum(map(len, decoded)) >= wanted:
                break
    theirs = np.concatenate(decoded)[:wanted] if decoded else np.empty(0, np.float32)
    if (
        len(theirs) == len(start)
        and np.abs(start).max(initial=0) > _AUDIBLE
        and np.abs(theirs - start).max() <= _SAME_SAMPLES
    ):
        return spans
    spans.close()
    return None


class _FFmpegSpans:
    """Spans of a file FFmpeg decodes: sought, or from the start in a fresh decoder."""

    def __init__(self, path, name, named, max_duration_s, block_size, opened) -> None:
        self._path, self._name, self._named = path, name, named
        self._max_duration_s, self._block_size = max_duration_s, block_size
        self._container, self._stream = opened
        self.sample_rate = self._stream.codec_context.sample_rate
        self.channels = self._stream.codec_context.layout.nb_channels
        # Samples are placed by timestamps counted from the stream's first (rarely 0:
        # encoder delay), as a decode from the start counts them.
        self._origin_pts = self._stream.start_time or 0
        self._used = False

    def blocks_from(self, start: int) -> Iterator[np.ndarray]:
        near_start = start <= SEEK_PREROLL_S * self.sample_rate
        if near_start and self._used:
            # Near the start, decode from the start as open_audio does, in a fresh
            # decoder: one that has run before decodes the first packets again
            # differently (AAC's noise substitution draws on the decoder's own state).
            self._container.close()
            self._container, self._stream = _open_ffmpeg(
                _rewound(self._path), self._name, self._named, self._max_duration_s
            )
        self._used = True
        return _ffmpeg_blocks(
            self._container,
            self._stream,
            self._name,
            self._max_duration_s,
            self._block_size,
            start=start,
            origin_pts=None if near_start else self._origin_pts,
        )

    def close(self) -> None:
        self._container.close()


def _open_checked(path, name: str, max_duration_s: float):
    """The opened file, libsndfile's handle or FFmpeg's (container, audio stream)."""
    extension = os.path.splitext(name)[1].lower()
    container = CONTAINERS.get(extension)
    if container is None:
        raise NotAudioError(
            f"'{name}' is not an audio file that Sonagram can read (its name does not end in "
            f"{', '.join(sorted(CONTAINERS))}). {_FORMATS_HINT}"
        )
    if _size(path) == 0:
        raise EmptyAudioError(
            f"'{name}' is empty (0 bytes). Check that the recording was copied or uploaded "
            "completely, then try again."
        )
    try:
        handle = sf.SoundFile(path)
    except sf.LibsndfileError:
        return _open_ffmpeg(_rewound(path), name, container, max_duration_s)
    if handle.format not in container.soundfile:
        found = handle.format
        handle.close()
        raise NotAudioError(
            f"'{name}' is not the audio its name says: a {extension} file holds "
            f"{container.label} audio, this one holds {found}. {_FORMATS_HINT} Rename it "
            "with the extension of its format, or export it again."
        )
    if handle.subtype == "OPUS":
        handle.close()
        return _open_ffmpeg(_rewound(path), name, container, max_duration_s)
    if handle.frames > max_duration_s * handle.samplerate:
        handle.close()
        raise _too_long(name, handle.frames / handle.samplerate, max_duration_s)
    return handle


def _closing(blocks: Iterator[np.ndarray], close) -> Iterator[np.ndarray]:
    """``blocks``, then ``close()`` once they are exhausted or closed."""
    try:
        yield from blocks
    finally:
        close()


def _size(source: str | os.PathLike | BinaryIO) -> int:
    if isinstance(source, (str, os.PathLike)):
        return os.stat(source).st_size
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    return size


def _rewound(source: str | os.PathLike | BinaryIO) -> str | BinaryIO:
    """A path as FFmpeg takes it, or a file object moved back to its start."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    source.seek(0)
    return source


def _check_length(decoded: int, sample_rate: int, name: str, max_duration_s: float) -> None:
    if decoded > max_duration_s * sample_rate:
        raise _too_long(name, decoded / sample_rate, max_duration_s)


def _damaged(name: str, decoded_s: float, cause: str) -> NotAudioError:
    return NotAudioError(
        f"'{name}' is not an audio file that Sonagram can read (decoding failed after "
        f"{describe_duration(decoded_s)}: {cause}). The file may be damaged or incomplete; "
        "try exporting it again."
    )


def _soundfile_blocks(
    handle: sf.SoundFile, name: str, max_duration_s: float, block_size: int, *, start: int = 0
) -> Iterator[np.ndarray]:
    """Blocks from where ``handle`` stands, sample ``start``, to the end."""
    buffer = np.empty((block_size, handle.channels), dtype=np.float32)
    decoded = start
    while True:
        try:
            data = handle.read(block_size, dtype="float32", always_2d=True, out=buffer)
        except sf.LibsndfileError as e:
            raise _damaged(name, decoded / handle.samplerate, e.error_string) from e
        if not len(data):
            return
        decoded += len(data)
        _check_length(decoded, handle.samplerate, name, max_duration_s)
        # The buffer is reused for the next read, so the mono block must be a copy.
        yield data[:, 0].copy() if handle.channels == 1 else data.mean(axis=1)


def _open_ffmpeg(path, name: str, named: Container, max_duration_s: float):
    import av

    try:
        container = av.open(path, format=named.demuxer)
    except (av.error.FFmpegError, UnicodeDecodeError) as e:
        raise NotAudioError(
            f"'{name}' is not an audio file that Sonagram can read (its content is not "
            f"{named.label}, the format its name says). {_FORMATS_HINT}"
        ) from e
    audio = container.streams.audio
    rate = audio[0].codec_context.sample_rate if audio else 0
    if not rate:
        container.close()
        raise NotAudioError(
            f"'{name}' is not an audio file that Sonagram can read (it holds no {named.label} "
            f"audio track). {_FORMATS_HINT}"
        )
    stream = audio[0]
    if stream.duration is not None:
        announced_s = float(stream.duration * stream.time_base)
    else:
        announced_s = (container.duration or 0) / av.time_base
    if announced_s > max_duration_s:
        container.close()
        raise _too_long(name, announced_s, max_duration_s)
    return container, stream


#: How far before a span FFmpeg seeks, at least, in seconds: decoders of lossy formats
#: (MP3's bit reservoir, AAC's overlapping transforms) need the packets before a sample
#: to decode it as a decode from the start does.
SEEK_PREROLL_S = 0.5


def _mono(frame: av.AudioFrame) -> np.ndarray:
    planes = frame.to_ndarray()
    return planes[0] if len(planes) == 1 else planes.mean(axis=0)


def _ffmpeg_frames(container, stream) -> Iterator[tuple[int | None, np.ndarray]]:
    """Each decoded frame's timestamp (None when unknown) and mono samples."""
    import av

    # Planar float keeps the channels apart, so the mono mix is one mean per frame; the
    # fixed rate guards against streams that change rate midway (joined MP3s).
    resampler = av.AudioResampler(format="fltp", rate=stream.codec_context.sample_rate)
    for frame in container.decode(stream):
        pts = frame.pts
        for converted in resampler.resample(frame):
            yield pts, _mono(converted)
            pts = None
    for converted in resampler.resample(None):
        yield None, _mono(converted)


def _ffmpeg_blocks(
    container,
    stream,
    name: str,
    max_duration_s: float,
    block_size: int,
    *,
    start: int = 0,
    origin_pts: int | None = None,
):
    """Blocks from sample ``start`` on: from the file's start, or (with the first frame's
    timestamp, ``origin_pts``) after a seek, each frame placed by its timestamp."""
    import av

    rate = stream.codec_context.sample_rate
    pending: list[np.ndarray] = []
    pending_len = 0
    decoded = position = 0
    try:
        frames = _ffmpeg_frames(container, stream)
        if origin_pts is not None:
            frames, position = _seek(container, stream, start, origin_pts)
            decoded = start
        for pts, samples in frames:
            if origin_pts is not None and pts is not None:
                position = round((pts - origin_pts) * stream.time_base * rate)
            first, position = position, position + len(samples)
            if first < start:
                samples = samples[start - first :]
            if not len(samples):
                continue
            pending.append(samples)
            pending_len += len(samples)
            if pending_len >= block_size:
                decoded += pending_len
                _check_length(decoded, rate, name, max_duration_s)
                yield np.concatenate(pending)
                pending, pending_len = [], 0
    except av.error.FFmpegError as e:
        raise _damaged(name, decoded / rate, e.strerror) from e
    block = np.concatenate(pending) if pending else np.empty(0, np.float32)
    if len(block):
        _check_length(decoded + len(block), rate, name, max_duration_s)
        yield block


def _seek(container, stream, start: int, origin_pts: int):
    """Frames from a packet at or before sample ``start`` (at least the preroll before),
    and the index of their first sample."""
    rate = stream.codec_context.sample_rate
    preroll_s = SEEK_PREROLL_S
    while True:
        target_s = max(0.0, start / rate - preroll_s)
        container.seek(origin_pts + int(target_s / stream.time_base), stream=stream, backward=True)
        frames = _ffmpeg_frames(container, stream)
        first = next(frames, None)
        if first is None:
            return iter(()), start
        pts, samples = first
        if pts is None:
            # Frames without timestamps cannot be placed: count them from the start.
            container.seek(origin_pts, stream=stream, backward=True)
            return _ffmpeg_frames(container, stream), 0
        position = round((pts - origin_pts) * stream.time_base * rate)
        if position <= start or target_s == 0.0:
            return _chain(first, frames), position
        # Landed after the span's start: the container's index is coarse; seek further back.
        preroll_s *= 4


def _chain(first, rest):
    yield first
    yield from rest
