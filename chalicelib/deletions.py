"""Deleting recordings, one or thousands, inside the API's 10 s.

A deletion first marks each recording's spectrogram DELETING (one conditional write, once
chalicelib/access.py said the caller may delete it): from then on the list leaves it out,
every route answers 404 and no render claims it. Then it is purged (the upload in parts
still arriving, the audio, every image and manifest, the annotations, the rows), several at
a time, for as long as the request may take; what is still marked when the time is up is
purged by the sweeper, which finds it in its index. So a user deleting a project of 2,000 recordings
sees them gone at once, and the bucket is emptied within the request or one sweep.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from chalicelib import (
    access,
    assignments,
    chunks,
    database,
    multipart,
    project_recordings,
    status,
    tallies,
)
from chalicelib.clock import Clock, iso
from chalicelib.config import Settings
from chalicelib.errors import ForbiddenError, NotFoundError, StorageError
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.paging import ISSUED_ID
from chalicelib.renderings import spectrogram_prefix
from chalicelib.storage import Storage

logger = logging.getLogger(__name__)

# Recordings marked or purged at once: each is a few small requests, mostly waiting.
AT_ONCE = 8
MARKED, NOT_FOUND, UNTRIED = "marked", "not_found", "untried"


@dataclass
class Marked:
    """What marking did with each id: marked; not a recording the caller may delete (or
    being deleted already); not tried before the deadline."""

    marked: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    untried: list[str] = field(default_factory=list)


class Deletions:
    def __init__(
        self,
        *,
        settings: Settings,
        storage: Storage,
        clock: Clock,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._storage = storage
        self._clock = clock
        self._monotonic = monotonic
        self._parts = multipart.MultipartUploads(settings=settings, storage=storage, clock=clock)

    def deadline(self) -> float:
        """When a request that begins deleting now must stop (by ``monotonic``)."""
        return self._monotonic() + self._settings.deletion_budget_s

    def mark(
        self, user: str | None, recording_ids: Iterable[str], *, deadline: float | None = None
    ) -> Marked:
        """Mark each of ``recording_ids`` DELETING (until ``deadline``, if given): those
        ``user`` may delete (access.py: the uploader of a private recording, the owner of a
        project's), or every one when ``user`` is None (the caller checked: a project's
        owner deleting it, an uploader discarding a refused upload)."""

        def mark_one(recording_id: str) -> str:
            if deadline is not None and self._monotonic() >= deadline:
                return UNTRIED
            if not ISSUED_ID.fullmatch(recording_id):
                return NOT_FOUND
            condition = None
            if user is not None:
                try:
                    recording, _ = access.recording(user, recording_id, access.Need.MANAGE)
                except (NotFoundError, ForbiddenError):
                    return NOT_FOUND
                # Not moved out of its project (to become another's) since it was checked.
                condition = SpectrogramModel.owner == recording.owner
            try:
                status.move(
                    recording_id,
                    status.DELETING,
                    now=iso(self._clock()),
                    only_from=status.ALL,
                    condition=condition,
                )
            except status.IllegalTransitionError:
                return NOT_FOUND
            return MARKED

        ids = list(recording_ids)
        with ThreadPoolExecutor(AT_ONCE, thread_name_prefix="sonagram-mark") as pool:
            outcomes = list(pool.map(mark_one, ids))
        marked = Marked()
        for recording_id, outcome in zip(ids, outcomes, strict=True):
            getattr(marked, outcome).append(recording_id)
        return marked

    def purge_until(self, recording_ids: Iterable[str], *, deadline: float) -> None:
        """Purge marked recordings until ``deadline``; the sweeper purges the rest."""

        def purge_one(recording_id: str) -> None:
            if self._monotonic() >= deadline:
                return
            try:
                self.purge(recording_id)
            except StorageError:
                # Marked, so gone for the user: the sweeper tries again.
                logger.warning("could not purge recording %s", recording_id, exc_info=True)

        with ThreadPoolExecutor(AT_ONCE, thread_name_prefix="sonagram-purge") as pool:
            list(pool.map(purge_one, recording_ids))  # list(): raises what a purge raised

    def purge(self, recording_id: str) -> None:
        """Delete the audio (or the upload in parts still arriving), every image, the manifest
        and the annotations of a recording marked DELETING, then its rows. Purging it again,
        or at once from two places, does no harm."""
        try:
            with database.translated("read the recording being deleted"):
                recording = RecordingModel.get(recording_id, consistent_read=True)
        except NotFoundError:
            recording = None
        if recording is not None:
            self._parts.abort(recording)
            self._storage.delete(bucket=self._settings.recordings_bucket, key=recording.object_key)
            self._storage.delete_prefix(
                bucket=self._settings.spectrograms_bucket,
                prefix=spectrogram_prefix(recording.object_key),
            )
        # The annotation set and the computed measurements alike.
        chunks.delete_all(recording_id)
        try:
            with (
                database.translated("delete the recording"),
                database.transaction() as transaction,
            ):
                if recording is None:
                    transaction.delete(RecordingModel(recording_id))
                else:
                    # It leaves its project's listing and count once, whoever purges it first.
                    transaction.delete(recording, condition=RecordingModel.id.exists())
                    project_recordings.moved(
                        transaction, recording, out_of=recording.project_id, into=None
                    )
                    assignments.forget(transaction, recording)
                transaction.delete(SpectrogramModel(recording_id))
        except database.ConditionFailed:
            return  # purged meanwhile, from the other place
        if recording is not None and recording.project_id is not None:
            tallies.apply(recording.project_id, tallies.of_recording(recording), None)
