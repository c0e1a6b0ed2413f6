"""The audio files Sonagram accepts: each extension with the media types that fit it.

The first type of each is canonical: an upload sent as "" is stored as it, and the
audio is always served as it. The others are aliases browsers actually send.
No numpy: the HTTP path imports this.
"""

from __future__ import annotations

_WAV = ("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")
_OGG = ("audio/ogg", "audio/opus")
_AIFF = ("audio/aiff", "audio/x-aiff")

AUDIO_TYPES: dict[str, tuple[str, ...]] = {
    ".wav": _WAV,
    ".flac": ("audio/flac", "audio/x-flac"),
    ".mp3": ("audio/mpeg", "audio/mp3"),
    ".ogg": _OGG,
    ".oga": ("audio/ogg",),
    ".opus": _OGG,
    ".m4a": ("audio/mp4", "audio/x-m4a"),
    ".aac": ("audio/aac", "audio/x-aac"),
    ".aif": _AIFF,
    ".aiff": _AIFF,
}
AUDIO_EXTENSIONS = frozenset(AUDIO_TYPES)


def canonical_type(extension: str) -> str:
    """The media type a file with this (lowercase) extension is stored and served as."""
    return AUDIO_TYPES[extension][0]
