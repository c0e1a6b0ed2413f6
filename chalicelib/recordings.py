"""Recordings as the HTTP API shows them: create (with an upload URL), list, read, delete.

Every read and write is scoped to one owner; another user's recording is
indistinguishable from one that does not exist.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from chalicelib import annotations, database, status
from chalicelib.audio_types import (
    AUDIO_TYPES,
    CONTROL_CHARACTER,
    canonical_type,
    filename_pattern,
)
from chalicelib.clock import Clock, as_datetime, iso
from chalicelib.config import Settings
from chalicelib.errors import BadRequestError, ConflictError, NotFoundError, StorageError
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.renderings import MANIFEST, spectrogram_prefix
from chalicelib.storage import IMAGE_CACHE_CONTROL, Storage
from chalicelib.validation import fields

MAX_PAGE = 100
# ASCII digits only (int() also takes " 5", "+5", "1_0" and other scripts' digits), few
# enough for int() to parse.
PAGE_SIZE = re.compile(r"0*[0-9]{1,3}")
FILENAME = re.compile(filename_pattern(AUDIO_TYPES))
# What we issue: uuid4 ids and clock.iso timestamps.
RECORDING_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
# A page of the owner index ends at a key of the index and of the table.
_CURSOR_FORMATS = {"id": RECORDING_ID, "owner": re.compile(r".+"), "created_at": TIMESTAMP}


def audio_key(owner: str, recording_id: str, extension: str) -> str:
    """Where the upload lands: under the owner's prefix, never the user's filename."""
    return f"{owner}/{recording_id}{extension}"


def content_disposition(filename: str, kind: str = "inline") -> str:
    """``inline`` (or ``attachment``) under the user's file name (RFC 6266), without its folders.

    The quoted name keeps printable ASCII only (``"``, ``\\`` and ``%`` become ``_``, as
    some browsers decode ``%`` there); any other name also goes as RFC 5987 UTF-8.
    """
    name = re.split(r"[/\\]", filename)[-1]
    plain = "".join(c if " " <= c <= "~" and c not in '"\\%' else "_" for c in name)
    if plain == name:
        return f'{kind}; filename="{name}"'
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _encode_cursor(key: dict | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def _decode_cursor(cursor: str | None, *, owner: str) -> dict | None:
    """The start key a ``next`` value stands for, if it is one we could have given ``owner``."""
    if not cursor:
        return None
    invalid = f"cursor {cursor!r} is not valid: pass the 'next' value of the last page"
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, RecursionError) as e:  # binascii.Error is a ValueError too
        raise BadRequestError(invalid) from e
    if not isinstance(key, dict) or key.keys() != _CURSOR_FORMATS.keys():
        raise BadRequestError(invalid)
    for name, value in key.items():
        if not (
            isinstance(value, dict)
            and value.keys() == {"S"}
            and isinstance(value["S"], str)
            and _CURSOR_FORMATS[name].fullmatch(value["S"])
        ):
            raise BadRequestError(invalid)
    if key["owner"]["S"] != owner:
        raise BadRequestError(f"cursor {cursor!r} is not one of your pages: pass your own 'next'")
    return key


def _as_view(recording: RecordingModel, spectrogram: SpectrogramModel | None) -> dict:
    return {
        "id": recording.id,
        "filename": recording.filename,
        "size": int(recording.size),
        "content_type": recording.content_type,
        "created_at": recording.created_at,
        "status": spectrogram.status if spectrogram else None,
        "error": spectrogram.error if spectrogram else None,
        "duration_s": recording.duration_s,
        "sample_rate": int(recording.sample_rate) if recording.sample_rate else None,
        "channels": int(recording.channels) if recording.channels else None,
        "annotation_count": int(recording.annotation_count or 0),
    }


@dataclass(frozen=True)
class NewUpload:
    filename: str
    size: int
    content_type: str
    extension: str

    @classmethod
    def from_request(cls, body: object, *, max_bytes: int) -> NewUpload:
        """Validate a ``POST /recordings`` body; each problem is named in the error."""
        filename, size, content_type = fields(body, "filename", "size", "content_type")
        if not isinstance(filename, str) or not 1 <= len(filename) <= 255:
            raise BadRequestError("filename must be a string of 1 to 255 characters")
        if re.search(CONTROL_CHARACTER, filename):
            raise BadRequestError(f"filename {filename!r} holds control characters")
        try:
            filename.encode()
        except UnicodeEncodeError as e:  # a lone surrogate: JSON allows it, DynamoDB does not
            raise BadRequestError(f"filename {filename!r} is not valid Unicode text") from e
        if not FILENAME.fullmatch(filename):
            accepted = ", ".join(sorted(AUDIO_TYPES))
            raise BadRequestError(
                f"{filename!r} is not a supported audio file: use one of {accepted}"
            )
        extension = "." + filename.rsplit(".", 1)[1].lower()
        # JSON has one kind of number: 8001.0 is the integer 8001 (as JSON Schema says).
        if isinstance(size, float) and size.is_integer():
            size = int(size)
        if not isinstance(size, int) or isinstance(size, bool):
            raise BadRequestError(
                f"size must be the file's size in bytes (an integer), not {size!r}"
            )
        if size <= 0:
            raise BadRequestError(f"{filename!r} is empty (size {size} bytes)")
        if size > max_bytes:
            raise BadRequestError(
                f"{filename!r} is {size} bytes, over the {max_bytes // (1024 * 1024)} MiB "
                "upload limit"
            )
        fitting = AUDIO_TYPES[extension]
        if not isinstance(content_type, str):
            raise BadRequestError(
                f"content_type must be a string such as {fitting[0]!r}, not {content_type!r}"
            )
        if content_type not in ("", *fitting):
            raise BadRequestError(
                f"{filename!r} cannot be uploaded as {content_type!r}: a {extension} file is "
                f'{" or ".join(fitting)} (or "" for {fitting[0]})'
            )
        # Browsers send "" for types they do not know (often .flac, .opus).
        content_type = content_type or canonical_type(extension)
        return cls(filename, size, content_type, extension)


def owned_recording(owner: str, recording_id: str) -> RecordingModel:
    """The recording ``owner`` has under this id (read consistently), or NotFoundError."""
    # DynamoDB refuses some keys (empty, over 2048 bytes): ask only for ids we issue.
    if not RECORDING_ID.fullmatch(recording_id):
        raise NotFoundError(f"no recording {recording_id!r}")
    try:
        with database.translated("read the recording"):
            recording = RecordingModel.get(recording_id, consistent_read=True)
    except NotFoundError as e:
        raise NotFoundError(f"no recording {recording_id!r}") from e
    if recording.owner != owner:
        raise NotFoundError(f"no recording {recording_id!r}")
    return recording


class Recordings:
    def __init__(self, *, settings: Settings, storage: Storage, clock: Clock) -> None:
        self._settings = settings
        self._storage = storage
        self._clock = clock

    def create(self, owner: str, body: object) -> dict:
        upload = NewUpload.from_request(body, max_bytes=self._settings.max_upload_bytes)
        now = self._clock()
        recording = RecordingModel(
            id=str(uuid.uuid4()),
            owner=owner,
            filename=upload.filename,
            size=upload.size,
            content_type=upload.content_type,
            created_at=iso(now),
        )
        recording.object_key = audio_key(owner, recording.id, upload.extension)
        spectrogram = SpectrogramModel(
            recording_id=recording.id, owner=owner, status=status.PENDING, updated_at=iso(now)
        )
        with database.translated("save the new recording"), database.transaction() as transaction:
            transaction.save(recording, condition=RecordingModel.id.does_not_exist())
            transaction.save(spectrogram, condition=SpectrogramModel.recording_id.does_not_exist())
        form = self._storage.presign_upload(
            bucket=self._settings.recordings_bucket,
            key=recording.object_key,
            content_type=upload.content_type,
            max_bytes=self._settings.max_upload_bytes,
            expires_s=self._settings.upload_expiry_s,
            now=as_datetime(now),
        )
        return {"recording": _as_view(recording, spectrogram), "upload": form}

    def list(self, owner: str, *, limit: str | None = None, cursor: str | None = None) -> dict:
        text = "50" if limit is None else limit
        if not (PAGE_SIZE.fullmatch(text) and 1 <= int(text) <= MAX_PAGE):
            raise BadRequestError(f"limit must be an integer from 1 to {MAX_PAGE}, not {text!r}")
        with database.translated("list recordings"):
            page = RecordingModel.by_owner.query(
                owner,
                scan_index_forward=False,
                limit=int(text),
                last_evaluated_key=_decode_cursor(cursor, owner=owner),
            )
            recordings = list(page)
            statuses = {
                s.recording_id: s for s in SpectrogramModel.batch_get([r.id for r in recordings])
            }
        return {
            "recordings": [_as_view(r, statuses.get(r.id)) for r in recordings],
            "next": _encode_cursor(page.last_evaluated_key),
        }

    def _owned(self, owner: str, recording_id: str) -> tuple[RecordingModel, SpectrogramModel]:
        recording = owned_recording(owner, recording_id)
        try:
            with database.translated("read the recording"):
                spectrogram = SpectrogramModel.get(recording_id)
        except NotFoundError as e:
            raise NotFoundError(f"no recording {recording_id!r}") from e
        return recording, spectrogram

    def get(self, owner: str, recording_id: str) -> dict:
        return _as_view(*self._owned(owner, recording_id))

    def delete(self, owner: str, recording_id: str) -> None:
        """Delete the audio, every image, the manifest and the annotations, then the rows."""
        recording, spectrogram = self._owned(owner, recording_id)
        self._storage.delete(bucket=self._settings.recordings_bucket, key=recording.object_key)
        self._storage.delete_prefix(
            bucket=self._settings.spectrograms_bucket,
            prefix=spectrogram_prefix(owner, recording_id),
        )
        annotations.delete_all(recording_id)
        with database.translated("delete the recording"), database.transaction() as transaction:
            transaction.delete(recording)
            transaction.delete(spectrogram)

    def spectrogram_status(self, owner: str, recording_id: str) -> dict:
        _, spectrogram = self._owned(owner, recording_id)
        return {
            "status": spectrogram.status,
            "error": spectrogram.error,
            "processing_ms": spectrogram.processing_ms,
            "width": int(spectrogram.width) if spectrogram.width else None,
            "height": int(spectrogram.height) if spectrogram.height else None,
            "updated_at": spectrogram.updated_at,
        }

    def spectrogram(self, owner: str, recording_id: str) -> tuple[str, dict]:
        """(status, body): the manifest with presigned image URLs once COMPLETED."""
        _, spectrogram = self._owned(owner, recording_id)
        if spectrogram.status == status.FAILED:
            return spectrogram.status, {"status": spectrogram.status, "error": spectrogram.error}
        if spectrogram.status != status.COMPLETED:
            return spectrogram.status, {"status": spectrogram.status}
        bucket = self._settings.spectrograms_bucket
        manifest = self._storage.read_json(bucket=bucket, key=spectrogram.prefix + MANIFEST)

        def url(relative_key: str) -> str:
            return self._storage.presign_download(
                bucket=bucket,
                key=spectrogram.prefix + relative_key,
                expires_s=self._settings.download_expiry_s,
                CacheControl=IMAGE_CACHE_CONTROL,
            )

        manifest["image_url"] = url(manifest["overview"]["key"])
        for tile in manifest.get("tiles", []):
            tile["url"] = url(tile["key"])
        return spectrogram.status, manifest

    def regenerate(self, owner: str, recording_id: str) -> dict:
        """Render again (say, after an engine upgrade) through the same path as an upload."""
        recording, spectrogram = self._owned(owner, recording_id)
        bucket = self._settings.recordings_bucket
        try:
            self._storage.head(bucket=bucket, key=recording.object_key)
        except NotFoundError as e:
            raise ConflictError(
                f"{recording.filename!r} was never uploaded: upload the file again"
            ) from e
        pending_since = iso(self._clock())
        try:
            status.move(
                recording_id,
                status.PENDING,
                now=pending_since,
                only_from=status.FINISHED,
                condition=status.unchanged(spectrogram),
                actions=(
                    SpectrogramModel.error.remove(),
                    SpectrogramModel.attempts.set(0),
                    SpectrogramModel.announcements.set(0),
                ),
            )
        except status.IllegalTransitionError as e:
            raise ConflictError(
                f"the spectrogram is {spectrogram.status}: wait until it is finished"
            ) from e
        try:
            # The copy fires the bucket's ObjectCreated notification, as the upload did.
            self._storage.rewrite(
                bucket=bucket, key=recording.object_key, content_type=recording.content_type
            )
        except StorageError:
            # Nothing will render: put the finished spectrogram back rather than leave it
            # PENDING. Should that fail too, the sweeper announces it again.
            with contextlib.suppress(status.IllegalTransitionError, StorageError):
                status.restore(spectrogram, pending_since=pending_since)
            raise
        return {"status": status.PENDING}

    def audio_url(self, owner: str, recording_id: str) -> str:
        """A presigned GET of the audio (browsers stream it with Range requests)."""
        recording, _ = self._owned(owner, recording_id)
        return self._storage.presign_download(
            bucket=self._settings.recordings_bucket,
            key=recording.object_key,
            expires_s=self._settings.download_expiry_s,
            # Audio whatever type the object was stored with: a page uploaded under
            # another type must never be served as one.
            ContentType=canonical_type(PurePosixPath(recording.object_key).suffix),
            ContentDisposition=content_disposition(recording.filename),
        )
