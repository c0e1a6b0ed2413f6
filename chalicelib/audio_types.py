"""The audio files Sonagram accepts: each extension with the media types that fit it.

The first type of each is canonical: an upload sent as "" is stored as it, and the
audio is always served as it. The others are aliases browsers actually send.
No numpy: the HTTP path imports this.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def canonical_type(extension: str) -> str:
    """The media type a file with this (lowercase) extension is stored and served as."""
    return AUDIO_TYPES[extension][0]


# C0 and C1 control characters and DEL: never part of a name a person gave a file.
_CONTROL = r"\x00-\x1f\x7f-\x9f"
CONTROL_CHARACTER = rf"[{_CONTROL}]"
# A one-line text a person typed (a label): anything but those.
PLAIN_TEXT = rf"[^{_CONTROL}]*"


def filename_pattern(extensions: Iterable[str]) -> str:
    """A regex for a file name ending in one of ``extensions``, in any letter case.

    The same text works in Python (with ``fullmatch``) and as the ECMA-262 pattern of
    the OpenAPI document: no flags (each letter is a ``[xX]`` class). The part after
    the last slash or backslash needs a character before its dot; no control characters.
    """
    spelled = "|".join(
        "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in extension[1:])
        for extension in sorted(extensions)
    )
    return rf"^(?:[^{_CONTROL}]*[/\\])?[^{_CONTROL}/\\]+\.(?:{spelled})$"
