"""Recordings as the HTTP API shows them: create (with an upload URL), list, read, move,
delete. Their spectrograms are served by chalicelib/spectrograms.py.

Every read and write is scoped to one owner; another user's recording is
indistinguishable from one that does not exist.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from chalicelib import (
    assignments,
    database,
    detections,
    multipart,
    projects,
    recording_counts,
    status,
)
from chalicelib.audio_types import AUDIO_TYPES, canonical_type, filename_pattern
from chalicelib.clock import Clock, as_datetime, iso
from chalicelib.config import Settings, readable_bytes
from chalicelib.deletions import Deletions
from chalicelib.errors import BadRequestError, NotFoundError, SonagramError
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.paging import ISSUED_ID, MAX_PAGE, decode_cursor, newest_first, page_size
from chalicelib.spread import key_hash
from chalicelib.storage import Storage
from chalicelib.validation import fields, text, whole_number

FILENAME = re.compile(filename_pattern(AUDIO_TYPES))
RECORDING_ID = ISSUED_ID
STATUSES = status.ALL
# Longest ?q=: the longest filename.
MAX_SEARCH = 255
# A page's worth: a user may select a whole page and delete it.
MAX_DELETED_AT_ONCE = MAX_PAGE


def audio_key(owner: str, recording_id: str, extension: str) -> str:
    """Where the upload lands, never under the user's filename: ``<hash>/<owner>/<id><ext>``.

    The hash of the id comes first so that a burst of uploads and renders spreads over S3's
    prefixes (chalicelib/spread.py); the recording's images live under the same path
    (renderings.spectrogram_prefix). Rows store the key: recordings stored before keep
    theirs, ``<owner>/<id><ext>``.
    """
    return f"{key_hash(recording_id)}/{owner}/{recording_id}{extension}"


def _as_view(recording: RecordingModel, spectrogram: SpectrogramModel | None) -> dict:
    return {
        "id": recording.id,
        "filename": recording.filename,
        "size": int(recording.size),
        "content_type": recording.content_type,
        "created_at": recording.created_at,
        "status": spectrogram.status if spectrogram else None,
        "error": spectrogram.error if spectrogram else None,
        # When the status last moved: the page tells a job that seems stuck from this.
        "updated_at": spectrogram.updated_at if spectrogram else None,
        "duration_s": recording.duration_s,
        "sample_rate": int(recording.sample_rate) if recording.sample_rate else None,
        "channels": int(recording.channels) if recording.channels else None,
        "project_id": recording.project_id,
        "annotation_count": int(recording.annotation_count or 0),
        "detection": detections.view(recording),
    }


@dataclass(frozen=True)
class NewUpload:
    filename: str
    size: int
    content_type: str
    extension: str
    project_id: str | None = None

    @classmethod
    def from_request(cls, body: object, *, max_bytes: int) -> NewUpload:
        """Validate a ``POST /recordings`` body; each problem is named in the error."""
        filename, given_size, content_type, project_id = fields(
            body, "filename", "size", "content_type", optional=("project_id",)
        )
        filename = text(filename, field="filename", max_length=255)
        if not FILENAME.fullmatch(filename):
            accepted = ", ".join(sorted(AUDIO_TYPES))
            raise BadRequestError(
                f"{filename!r} is not a supported audio file: use one of {accepted}"
            )
        extension = "." + filename.rsplit(".", 1)[1].lower()
        size = whole_number(given_size)
        if size is None:
            raise BadRequestError(
                f"size must be the file's size in bytes (an integer), not {given_size!r}"
            )
        if size <= 0:
            raise BadRequestError(f"{filename!r} is empty (size {size} bytes)")
        if size > max_bytes:
            raise BadRequestError(
                f"{filename!r} is {size} bytes, over the {readable_bytes(max_bytes)} upload limit"
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
        return cls(filename, size, content_type, extension, projects.given_id(project_id))


@dataclass(frozen=True)
class Listing:
    """Which of a user's recordings ``GET /recordings`` shows, from its query."""

    limit: int
    project_id: str | None = None
    status: str | None = None
    # Casefolded: a filename matches when it holds this, in any letter case.
    search: str | None = None

    @classmethod
    def read(
        cls, *, limit: str | None, project: str | None, status: str | None, q: str | None
    ) -> Listing:
        if status is not None and status not in STATUSES:
            raise BadRequestError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        if q is not None and not 1 <= len(q) <= MAX_SEARCH:
            raise BadRequestError(f"q must be 1 to {MAX_SEARCH} characters of a file name")
        return cls(page_size(limit), project, status, None if q is None else q.casefold())

    @property
    def filtered(self) -> bool:
        return (self.project_id, self.status, self.search) != (None, None, None)

    def shows(self, recording: dict) -> bool:
        """Whether a recording (as the API shows it) passes every filter."""
        return (
            self.project_id in (None, recording["project_id"])
            and self.status in (None, recording["status"])
            and (self.search is None or self.search in recording["filename"].casefold())
        )


def _views(recordings: list[RecordingModel]) -> list[dict]:
    """The recordings as the API shows them, with their status (None if deleted meanwhile);
    those being deleted are left out."""
    statuses = {s.recording_id: s for s in SpectrogramModel.batch_get([r.id for r in recordings])}
    return [
        _as_view(r, statuses.get(r.id))
        for r in recordings
        if r.id not in statuses or statuses[r.id].status != status.DELETING
    ]


def owned_recording(owner: str, recording_id: str) -> RecordingModel:
    """The recording ``owner`` has under this id (read consistently), or NotFoundError."""
    return database.owned(
        RecordingModel, recording_id, owner, what="recording", issued=RECORDING_ID
    )


def in_project(owner: str, project_id: str) -> list[RecordingModel]:
    """The owner's recordings in the project, oldest first, without those being deleted
    (found through the by-project index, whose rows hold keys only, then read by BatchGet)."""
    with database.translated("find the project's recordings"):
        ids = [r.id for r in RecordingModel.by_project.query(project_id)]
        rows = {r.id: r for r in RecordingModel.batch_get(ids) if r.owner == owner}
        deleting = {
            s.recording_id
            for s in SpectrogramModel.batch_get(
                list(rows), attributes_to_get=["recording_id", "status"]
            )
            if s.status == status.DELETING
        }
    return [rows[id] for id in ids if id in rows and id not in deleting]


def owned_with_spectrogram(
    owner: str, recording_id: str
) -> tuple[RecordingModel, SpectrogramModel]:
    """The recording ``owner`` has under this id and its spectrogram's row; NotFoundError
    if there is none, or it is being deleted."""
    recording = owned_recording(owner, recording_id)
    try:
        with database.translated("read the recording"):
            spectrogram = SpectrogramModel.get(recording_id)
    except NotFoundError as e:
        raise NotFoundError(f"no recording {recording_id!r}") from e
    if spectrogram.status == status.DELETING:
        raise NotFoundError(f"no recording {recording_id!r}")
    return recording, spectrogram


class Recordings:
    def __init__(self, *, settings: Settings, storage: Storage, clock: Clock) -> None:
        self._settings = settings
        self._storage = storage
        self._clock = clock
        self._parts = multipart.MultipartUploads(settings=settings, storage=storage, clock=clock)
        self.deletions = Deletions(settings=settings, storage=storage, clock=clock)

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
            project_id=upload.project_id,
        )
        recording.object_key = audio_key(owner, recording.id, upload.extension)
        spectrogram = status.waiting(recording.id, owner=owner, now=iso(now))
        in_parts = multipart.in_parts(upload.size, self._settings)
        if in_parts:
            form = self._parts.start(recording)  # the row keeps the upload's id
        try:
            with projects.joining(
                owner, upload.project_id, "save the new recording"
            ) as transaction:
                transaction.save(recording, condition=RecordingModel.id.does_not_exist())
                transaction.save(
                    spectrogram, condition=SpectrogramModel.recording_id.does_not_exist()
                )
                recording_counts.moved(transaction, out_of=None, into=upload.project_id)
        except SonagramError:
            self._parts.abort(recording)
            raise
        if not in_parts:
            form = self._storage.presign_upload(
                bucket=self._settings.recordings_bucket,
                key=recording.object_key,
                content_type=upload.content_type,
                size=upload.size,
                expires_s=self._settings.upload_expiry_s,
                now=as_datetime(now),
            )
        return {"recording": _as_view(recording, spectrogram), "upload": form}

    def upload_progress(self, owner: str, recording_id: str) -> dict:
        """The parts of an upload in parts that arrived, to resume it."""
        return self._parts.progress(owned_recording(owner, recording_id))

    def presign_parts(self, owner: str, recording_id: str, body: object) -> dict:
        return self._parts.presign(owned_recording(owner, recording_id), body)

    def complete_upload(self, owner: str, recording_id: str, body: object) -> dict:
        """Join the parts into the audio (which then renders); refused ones leave nothing."""
        recording, spectrogram = owned_with_spectrogram(owner, recording_id)
        try:
            self._parts.complete(recording, body)
        except multipart.RefusedUpload:
            self.delete(owner, recording_id)
            raise
        return _as_view(recording, spectrogram)

    def list(
        self,
        owner: str,
        *,
        limit: str | None = None,
        cursor: str | None = None,
        project: str | None = None,
        status: str | None = None,
        q: str | None = None,
    ) -> dict:
        """A page of the owner's recordings, newest first, filtered as ``Listing`` says."""
        listing = Listing.read(limit=limit, project=project, status=status, q=q)
        start = decode_cursor(cursor, owner=owner)
        if listing.project_id is not None:
            projects.owned(owner, listing.project_id)
        with database.translated("list recordings"):
            page = newest_first(
                RecordingModel.by_owner,
                owner,
                limit=listing.limit,
                start=start,
                views=_views,
                shows=listing.shows if listing.filtered else None,
            )
        # The time the page was read, by the clock updated_at is written with.
        server_time = iso(self._clock())
        return {"recordings": page["items"], "next": page["next"], "server_time": server_time}

    def get(self, owner: str, recording_id: str) -> dict:
        return _as_view(*owned_with_spectrogram(owner, recording_id))

    def delete(self, owner: str, recording_id: str) -> None:
        """Gone for the owner at once; its audio, images, manifest, annotations and rows
        within the request (or the next sweep): see chalicelib/deletions.py."""
        deadline = self.deletions.deadline()
        if not self.deletions.mark(owner, [recording_id]).marked:
            raise NotFoundError(f"no recording {recording_id!r}")
        self.deletions.purge_until([recording_id], deadline=deadline)

    def delete_many(self, owner: str, body: object) -> dict:
        """Delete each of ``ids`` as :meth:`delete` does; ids that are not the owner's
        recordings are answered as ``not_found`` and left alone."""
        (ids,) = fields(body, "ids")
        if not (
            isinstance(ids, list)
            and 1 <= len(ids) <= MAX_DELETED_AT_ONCE
            and all(isinstance(recording_id, str) for recording_id in ids)
        ):
            raise BadRequestError(
                f"ids must be a list of 1 to {MAX_DELETED_AT_ONCE} recording ids (strings)"
            )
        repeated = [recording_id for recording_id in ids if ids.count(recording_id) > 1]
        if repeated:
            raise BadRequestError(f"ids holds {repeated[0]!r} more than once")
        deadline = self.deletions.deadline()
        marked = self.deletions.mark(owner, ids)
        self.deletions.purge_until(marked.marked, deadline=deadline)
        return {"deleted": marked.marked, "not_found": marked.not_found}

    def change(self, owner: str, recording_id: str, body: object) -> dict:
        """Move the recording into one of the owner's projects, or out of any (null)."""
        (given,) = fields(body, "project_id")
        project_id = projects.given_id(given)
        recording, spectrogram = owned_with_spectrogram(owner, recording_id)
        if project_id is None:
            action = RecordingModel.project_id.remove()
        else:
            action = RecordingModel.project_id.set(project_id)
        # Where it was when read: a move meanwhile fails this one, and counts once.
        if recording.project_id is None:
            where_it_was = RecordingModel.project_id.does_not_exist()
        else:
            where_it_was = RecordingModel.project_id == recording.project_id
        leaves = recording.project_id not in (None, project_id)
        # Its assignments were to members of the project it leaves.
        let_go = [RecordingModel.assignees.remove()] if leaves else []
        try:
            with projects.joining(owner, project_id, "move the recording") as transaction:
                transaction.update(
                    recording,
                    actions=[action, *let_go],
                    condition=RecordingModel.id.exists() & where_it_was,
                )
                recording_counts.moved(transaction, out_of=recording.project_id, into=project_id)
                if leaves:
                    assignments.forget(transaction, recording)
        except (NotFoundError, database.ConditionFailed):
            # 404 if the recording was deleted meanwhile.
            owned_with_spectrogram(owner, recording_id)
            raise
        recording.project_id = project_id
        return _as_view(recording, spectrogram)
