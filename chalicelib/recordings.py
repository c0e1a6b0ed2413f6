"""Recordings as the HTTP API shows them: create (with an upload URL), list, read, move,
delete. Their spectrograms are served by chalicelib/spectrograms.py.

A recording in no project is its uploader's alone; one in a project is its members', as
their role allows (chalicelib/access.py asks on every read and write). A recording the user
may not see is indistinguishable from one that does not exist.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib import (
    access,
    assignments,
    database,
    detections,
    multipart,
    project_recordings,
    projects,
    status,
    tallies,
)
from chalicelib.access import Need, Role
from chalicelib.audio_types import AUDIO_TYPES, canonical_type, filename_pattern
from chalicelib.clock import Clock, as_datetime, iso
from chalicelib.config import Settings, readable_bytes
from chalicelib.deletions import Deletions
from chalicelib.errors import BadRequestError, ForbiddenError, NotFoundError, SonagramError
from chalicelib.models import ProjectRecordingModel, RecordingModel, SpectrogramModel
from chalicelib.paging import ISSUED_ID, MAX_PAGE, Order, newest_first, page_size
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
# A user's own uploads, and a project's recordings, newest first.
BY_OWNER = Order(RecordingModel.by_owner, hash_attribute="owner")


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
        "uploaded_by": recording.owner,
        "assignees": sorted(recording.assignees or ()),
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
    """Which recordings ``GET /recordings`` shows, from its query: a project's, or the
    user's own uploads."""

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
        return (self.status, self.search) != (None, None)

    def shows(self, recording: dict) -> bool:
        """Whether a recording (as the API shows it) passes every filter."""
        return self.status in (None, recording["status"]) and (
            self.search is None or self.search in recording["filename"].casefold()
        )


def _statuses(ids: list[str]) -> dict[str, SpectrogramModel]:
    return {s.recording_id: s for s in SpectrogramModel.batch_get(ids, consistent_read=True)}


def _views(
    recordings: list[RecordingModel], statuses: dict[str, SpectrogramModel]
) -> list[dict | None]:
    """The recordings as the API shows them, with their status (None if deleted meanwhile);
    None for those being deleted."""
    return [
        None
        if r.id in statuses and statuses[r.id].status == status.DELETING
        else _as_view(r, statuses.get(r.id))
        for r in recordings
    ]


def _project_views(items: list[ProjectRecordingModel]) -> list[dict | None]:
    """The views of a page of the project's items (None: deleted meanwhile, or being
    deleted). Read consistently, as the items are: a recording just uploaded is listed."""
    ids = [item.recording_id for item in items]
    rows, statuses = database.at_once(
        lambda: {r.id: r for r in RecordingModel.batch_get(ids, consistent_read=True)},
        lambda: _statuses(ids),
    )
    views = dict(zip(rows, _views(list(rows.values()), statuses), strict=True))
    return [views.get(item.recording_id) for item in items]


def _own_views(user: str) -> Callable[[list[RecordingModel]], list[dict | None]]:
    """The views of a page of the user's uploads, without those in a project they are no
    longer a member of (each project asked once a page)."""

    def views(recordings: list[RecordingModel]) -> list[dict | None]:
        roles = {
            project_id: access.project_role(user, project_id)
            for project_id in {r.project_id for r in recordings} - {None}
        }
        shown = _views(recordings, _statuses([r.id for r in recordings]))
        return [
            view if r.project_id is None or roles[r.project_id] is not None else None
            for r, view in zip(recordings, shown, strict=True)
        ]

    return views


def owned_recording(owner: str, recording_id: str) -> RecordingModel:
    """The recording ``owner`` uploaded under this id (read consistently), or NotFoundError:
    the bench and tests reading back their own rows. Routes ask chalicelib/access.py."""
    return database.owned(
        RecordingModel, recording_id, owner, what="recording", issued=RECORDING_ID
    )


def in_project(project_id: str) -> list[RecordingModel]:
    """Every recording of the project, oldest first, without those being deleted (found
    in the project's items, then read by BatchGet)."""
    ids = project_recordings.ids(project_id)
    with database.translated("find the project's recordings"):
        rows = {r.id: r for r in RecordingModel.batch_get(ids)}
        deleting = {
            s.recording_id
            for s in SpectrogramModel.batch_get(
                list(rows), attributes_to_get=["recording_id", "status"]
            )
            if s.status == status.DELETING
        }
    return [rows[id] for id in ids if id in rows and id not in deleting]


def with_spectrogram(
    user: str, recording_id: str, need: Need, *, action: str = "this"
) -> tuple[RecordingModel, SpectrogramModel, Role]:
    """The recording, its spectrogram's row and the user's role, if the role allows
    ``need`` (see access.recording); NotFoundError also when it is being deleted."""
    recording, role = access.recording(user, recording_id, need, action=action)
    try:
        with database.translated("read the recording"):
            spectrogram = SpectrogramModel.get(recording_id)
    except NotFoundError as e:
        raise NotFoundError(f"no recording {recording_id!r}") from e
    if spectrogram.status == status.DELETING:
        raise NotFoundError(f"no recording {recording_id!r}")
    return recording, spectrogram, role


def uploaded_by(user: str, recording_id: str) -> tuple[RecordingModel, SpectrogramModel]:
    """The recording and its spectrogram's row, if ``user`` uploaded it and may still add
    to it: only its uploader sends its audio."""
    recording, spectrogram, _ = with_spectrogram(
        user, recording_id, Need.ANNOTATE, action="uploading its audio"
    )
    if recording.owner != user:
        raise ForbiddenError(f"only its uploader ({recording.owner}) uploads its audio")
    return recording, spectrogram


class Recordings:
    def __init__(self, *, settings: Settings, storage: Storage, clock: Clock) -> None:
        self._settings = settings
        self._storage = storage
        self._clock = clock
        self._parts = multipart.MultipartUploads(settings=settings, storage=storage, clock=clock)
        self.deletions = Deletions(settings=settings, storage=storage, clock=clock)

    def create(self, user: str, body: object) -> dict:
        """A new recording of the user's (in a project they may upload into, if named) and
        the form its audio is uploaded with."""
        upload = NewUpload.from_request(body, max_bytes=self._settings.max_upload_bytes)
        now = self._clock()
        recording = RecordingModel(
            id=str(uuid.uuid4()),
            owner=user,
            filename=upload.filename,
            size=upload.size,
            content_type=upload.content_type,
            created_at=iso(now),
            project_id=upload.project_id,
        )
        recording.object_key = audio_key(user, recording.id, upload.extension)
        spectrogram = status.waiting(recording.id, owner=user, now=iso(now))
        in_parts = multipart.in_parts(upload.size, self._settings)
        if upload.project_id is not None:  # refused before an upload in parts is begun
            access.project(user, upload.project_id, Need.ANNOTATE, action="uploading into it")
        if in_parts:
            form = self._parts.start(recording)  # the row keeps the upload's id
        try:
            with projects.joining(user, upload.project_id, "save the new recording") as transaction:
                transaction.save(recording, condition=RecordingModel.id.does_not_exist())
                transaction.save(
                    spectrogram, condition=SpectrogramModel.recording_id.does_not_exist()
                )
                project_recordings.moved(
                    transaction, recording, out_of=None, into=upload.project_id
                )
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

    def upload_progress(self, user: str, recording_id: str) -> dict:
        """The parts of an upload in parts that arrived, to resume it."""
        recording, _ = uploaded_by(user, recording_id)
        return self._parts.progress(recording)

    def presign_parts(self, user: str, recording_id: str, body: object) -> dict:
        recording, _ = uploaded_by(user, recording_id)
        return self._parts.presign(recording, body)

    def complete_upload(self, user: str, recording_id: str, body: object) -> dict:
        """Join the parts into the audio (which then renders); refused ones leave nothing."""
        recording, spectrogram = uploaded_by(user, recording_id)
        try:
            self._parts.complete(recording, body)
        except multipart.RefusedUpload:
            self._discard([recording_id])
            raise
        return _as_view(recording, spectrogram)

    def list(
        self,
        user: str,
        *,
        limit: str | None = None,
        cursor: str | None = None,
        project: str | None = None,
        status: str | None = None,
        q: str | None = None,
    ) -> dict:
        """A page of the project's recordings (whoever uploaded them), or else of the user's
        own uploads they may still see, newest first, filtered as ``Listing`` says."""
        listing = Listing.read(limit=limit, project=project, status=status, q=q)
        if listing.project_id is None:
            order, listed, views = BY_OWNER, user, _own_views(user)
        else:
            access.project(user, listing.project_id, Need.SEE)
            order, listed, views = project_recordings.LISTING, listing.project_id, _project_views
        with database.translated("list recordings"):
            page = newest_first(
                order,
                listed,
                limit=listing.limit,
                cursor=cursor,
                views=views,
                shows=listing.shows if listing.filtered else None,
            )
        # The time the page was read, by the clock updated_at is written with.
        server_time = iso(self._clock())
        return {"recordings": page["items"], "next": page["next"], "server_time": server_time}

    def get(self, user: str, recording_id: str) -> dict:
        recording, spectrogram, _ = with_spectrogram(user, recording_id, Need.SEE)
        return _as_view(recording, spectrogram)

    def _discard(self, recording_ids: list[str]) -> list[str]:
        """Mark and purge recordings the caller may delete (checked): those marked."""
        deadline = self.deletions.deadline()
        marked = self.deletions.mark(None, recording_ids).marked
        self.deletions.purge_until(marked, deadline=deadline)
        return marked

    def delete(self, user: str, recording_id: str) -> None:
        """Gone for everyone at once; its audio, images, manifest, annotations and rows
        within the request (or the next sweep): see chalicelib/deletions.py. The uploader
        deletes a private recording, the project's owner one in a project."""
        with_spectrogram(user, recording_id, Need.MANAGE, action="deleting a recording")
        if not self._discard([recording_id]):
            raise NotFoundError(f"no recording {recording_id!r}")

    def delete_many(self, user: str, body: object) -> dict:
        """Delete each of ``ids`` as :meth:`delete` does; ids that are not the user's to
        delete (or not recordings) are answered as ``not_found`` and left alone."""
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
        marked = self.deletions.mark(user, ids)
        self.deletions.purge_until(marked.marked, deadline=deadline)
        return {"deleted": marked.marked, "not_found": marked.not_found}

    def change(self, user: str, recording_id: str, body: object) -> dict:
        """Move the recording into a project, or out of any (null).

        Into a project: its uploader, while it is private, or the owner of its project, if
        they may upload into the target. Out of any: the owner of its project, whose private
        recording it becomes (uploaded_by is then the mover: no one else sees it any more).
        """
        (given,) = fields(body, "project_id")
        project_id = projects.given_id(given)
        recording, spectrogram, _ = with_spectrogram(
            user, recording_id, Need.MANAGE, action="moving a recording out of it"
        )
        if project_id == recording.project_id:
            return _as_view(recording, spectrogram)
        actions = [
            RecordingModel.project_id.remove()
            if project_id is None
            else RecordingModel.project_id.set(project_id)
        ]
        # A move out of a project makes it the mover's: the rows say whose it is.
        new_owner = user if project_id is None else recording.owner
        if new_owner != recording.owner:
            actions.append(RecordingModel.owner.set(new_owner))
        # Where it was when read: a move meanwhile fails this one, and counts once.
        unmoved = (
            RecordingModel.project_id.does_not_exist()
            if recording.project_id is None
            else RecordingModel.project_id == recording.project_id
        )
        # And its annotation set as read: the tally it takes along is that set's.
        unmoved &= (
            RecordingModel.annotation_set.does_not_exist()
            if recording.annotation_set is None
            else RecordingModel.annotation_set == recording.annotation_set
        )
        leaves = recording.project_id is not None
        # Its assignments were to members of the project it leaves.
        if leaves:
            actions.append(RecordingModel.assignees.remove())
        try:
            with projects.joining(user, project_id, "move the recording") as transaction:
                transaction.update(
                    recording,
                    actions=actions,
                    condition=RecordingModel.id.exists() & unmoved,
                )
                if new_owner != recording.owner:
                    transaction.update(
                        spectrogram,
                        actions=[SpectrogramModel.owner.set(new_owner)],
                        condition=SpectrogramModel.recording_id.exists(),
                    )
                project_recordings.moved(
                    transaction, recording, out_of=recording.project_id, into=project_id
                )
                if leaves:
                    assignments.forget(transaction, recording)
        except (NotFoundError, database.ConditionFailed):
            # 404 if the recording was deleted meanwhile.
            with_spectrogram(user, recording_id, Need.MANAGE)
            raise
        # Its boxes count in the project it is in (ADDed after the move, as after a write).
        tally = tallies.of_recording(recording)
        if recording.project_id is not None:
            tallies.apply(recording.project_id, tally, None)
        if project_id is not None:
            tallies.apply(project_id, None, tally)
        recording.project_id = project_id
        recording.owner = new_owner
        spectrogram.owner = new_owner
        return _as_view(recording, spectrogram)
