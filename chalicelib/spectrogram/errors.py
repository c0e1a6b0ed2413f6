"""Errors the engine raises, with messages meant for the person who uploaded the file."""


class AudioError(ValueError):
    """The file cannot be rendered because of its content; retrying will not help.

    The message is a plain sentence that names the file and the cause, shown as is
    in the UI and the CLI.
    """


class NotAudioError(AudioError):
    """The file is not audio in a format the engine can decode."""


class EmptyAudioError(AudioError):
    """The file has 0 bytes or decodes to zero samples."""


class TooLongError(AudioError):
    """The recording is longer than the allowed duration."""


class RenderTimeout(Exception):
    """Rendering passed its deadline; the file itself may be fine.

    Deliberately not an :class:`AudioError`: the caller decides whether to retry
    with more time.
    """
