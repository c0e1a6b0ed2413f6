"""Uploads in parts: S3 multipart with presigned part URLs, for files over the threshold.

A file larger than ``Settings.multipart_threshold_bytes`` goes to the bucket in parts, each
through its own presigned PUT, so a dropped connection costs only the parts in flight: the
client asks which parts arrived, fresh URLs for the others (those it was given expire with
the upload window), and then completes. The parts join at the recording's object key, and
completing fires the bucket's ObjectCreated notification as a POST does.

S3 applies no POST policy to parts. Instead each part URL's signature covers its
Content-Length, the content type is fixed when the upload starts, and completing adds up the
parts S3 holds: a total other than the size announced (and so checked against the limit) is
refused and nothing is kept.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

from chalicelib import database
from chalicelib.clock import Clock, as_datetime
from chalicelib.config import MIB, Settings
from chalicelib.errors import BadRequestError, ConflictError, NotFoundError
from chalicelib.models import RecordingModel
from chalicelib.storage import Storage, expiry
from chalicelib.validation import fields, whole_number

# S3's bounds: at most 10,000 parts, each at least 5 MiB but the last.
MAX_PARTS = 10_000
MIN_PART_BYTES = 5 * MIB


@dataclass(frozen=True)
class PartPlan:
    """How a file of ``size`` bytes splits: parts of ``part_size``, the last one shorter."""

    size: int
    part_size: int

    @classmethod
    def of(cls, size: int, settings: Settings) -> PartPlan:
        # Whole MiB, and large enough that any allowed file fits in S3's 10,000 parts.
        fitting = math.ceil(size / MAX_PARTS / MIB) * MIB
        return cls(size, max(settings.multipart_part_bytes, MIN_PART_BYTES, fitting))

    @property
    def count(self) -> int:
        return math.ceil(self.size / self.part_size)

    def part_bytes(self, number: int) -> int:
        return min(self.part_size, self.size - (number - 1) * self.part_size)


def in_parts(size: int, settings: Settings) -> bool:
    return size > settings.multipart_threshold_bytes


class RefusedUpload(BadRequestError):
    """The parts do not add up to the file announced: the upload was aborted."""


class MultipartUploads:
    def __init__(self, *, settings: Settings, storage: Storage, clock: Clock) -> None:
        self._settings = settings
        self._storage = storage
        self._clock = clock
        self._bucket = settings.recordings_bucket

    def start(self, recording: RecordingModel) -> dict:
        """Begin the upload of a new recording (before its row is saved); the ``upload`` answer."""
        recording.upload_id = self._storage.start_multipart(
            bucket=self._bucket, key=recording.object_key, content_type=recording.content_type
        )
        plan = PartPlan.of(int(recording.size), self._settings)
        every_part = list(range(1, plan.count + 1))
        return {
            "multipart": {
                "part_size": plan.part_size,
                "part_count": plan.count,
                **self._presigned(recording, every_part),
            }
        }

    def progress(self, recording: RecordingModel) -> dict:
        """What the client needs to resume: the plan and the parts S3 holds."""
        plan = PartPlan.of(int(recording.size), self._settings)
        received = self._received(recording)
        return {
            "part_size": plan.part_size,
            "part_count": plan.count,
            "received": [
                {"number": number, "etag": part["etag"], "size": part["size"]}
                for number, part in sorted(received.items())
            ],
        }

    def presign(self, recording: RecordingModel, body: object) -> dict:
        """Fresh URLs for the parts ``body`` numbers (say, after the first ones expired)."""
        self._in_progress(recording)
        count = PartPlan.of(int(recording.size), self._settings).count
        (numbers,) = fields(body, "numbers")
        if not (
            isinstance(numbers, list)
            and 1 <= len(numbers) <= count
            and all(whole_number(n) is not None and 1 <= n <= count for n in numbers)
            and len(set(numbers)) == len(numbers)
        ):
            # Conflict, not bad request: which numbers are right depends on this upload.
            raise ConflictError(
                f"numbers must list 1 to {count} different part numbers, each from 1 to {count}"
            )
        return self._presigned(recording, [whole_number(n) for n in numbers])

    def complete(self, recording: RecordingModel, body: object) -> None:
        """Join the parts into the audio, if they are the file announced.

        Completing again after success does nothing. A part missing or not the one the
        client sent is a conflict the client can resume from; a total that is not the size
        announced aborts the upload (RefusedUpload).
        """
        plan = PartPlan.of(int(recording.size), self._settings)
        etags = _given_etags(body, plan.count)
        if recording.upload_id is None and self._stored(recording):
            return
        try:
            received = self._received(recording)
        except ConflictError:
            if self._stored(recording):  # completed by a request that has not finished yet
                self._forget_upload(recording)
                return
            raise
        for number, etag in etags.items():
            if received.get(number, {}).get("etag") != etag:
                raise ConflictError(
                    f"part {number} of {recording.filename!r} has not arrived (or is not the "
                    "one with that ETag): upload it again, then complete"
                )
        total = sum(received[number]["size"] for number in etags)
        if total != plan.size:
            self.abort(recording)
            limit = self._settings.max_upload_bytes
            why = (
                f"over the {limit // MIB} MiB upload limit"
                if total > limit
                else f"not the {plan.size} bytes announced"
            )
            raise RefusedUpload(
                f"{recording.filename!r} arrived as {total} bytes, {why}: nothing was kept"
            )
        self._storage.complete_multipart(
            bucket=self._bucket,
            key=recording.object_key,
            upload_id=recording.upload_id,
            etags=etags,
        )
        self._forget_upload(recording)

    def abort(self, recording: RecordingModel) -> None:
        """Drop the upload in progress, if any, and every part it received."""
        if recording.upload_id is not None:
            self._storage.abort_multipart(
                bucket=self._bucket, key=recording.object_key, upload_id=recording.upload_id
            )

    def last_part_at(self, recording: RecordingModel) -> float | None:
        """When the newest part arrived (epoch s); None if none did or no upload is open."""
        if recording.upload_id is None:
            return None
        try:
            received = self._received(recording)
        except ConflictError:
            return None
        return max((part["at"] for part in received.values()), default=None)

    def _presigned(self, recording: RecordingModel, numbers: list[int]) -> dict:
        plan = PartPlan.of(int(recording.size), self._settings)
        expires_s = self._settings.upload_expiry_s
        parts = [
            {
                "number": number,
                "url": self._storage.presign_part(
                    bucket=self._bucket,
                    key=recording.object_key,
                    upload_id=recording.upload_id,
                    number=number,
                    size=plan.part_bytes(number),
                    expires_s=expires_s,
                ),
            }
            for number in numbers
        ]
        return {"parts": parts, "expires_at": expiry(as_datetime(self._clock()), expires_s)}

    def _in_progress(self, recording: RecordingModel) -> None:
        if recording.upload_id is None:
            raise ConflictError(f"no upload in parts of {recording.filename!r} is in progress")

    def _received(self, recording: RecordingModel) -> dict[int, dict]:
        self._in_progress(recording)
        try:
            return self._storage.received_parts(
                bucket=self._bucket, key=recording.object_key, upload_id=recording.upload_id
            )
        except NotFoundError as e:
            raise ConflictError(
                f"the upload of {recording.filename!r} was cancelled or has expired: "
                "upload the file again"
            ) from e

    def _stored(self, recording: RecordingModel) -> bool:
        try:
            self._storage.head(bucket=self._bucket, key=recording.object_key)
        except NotFoundError:
            return False
        return True

    def _forget_upload(self, recording: RecordingModel) -> None:
        # A recording deleted meanwhile stays deleted.
        with (
            contextlib.suppress(database.ConditionFailed),
            database.translated("record the completed upload"),
        ):
            recording.update(
                actions=[RecordingModel.upload_id.remove()],
                condition=RecordingModel.id.exists(),
            )


def _given_etags(body: object, count: int) -> dict[int, str]:
    """``{"parts": [{"number", "etag"}, ...]}``, every part 1..count once -> number: ETag."""
    (parts,) = fields(body, "parts")
    wanted = (
        f'parts must list each of the {count} parts once, as {{"number": 1..{count}, '
        '"etag": the ETag its PUT answered}'
    )
    if not isinstance(parts, list):
        raise BadRequestError(wanted)
    etags = {}
    for part in parts:
        number, etag = fields(part, "number", "etag")
        number = whole_number(number)
        if number is None or not isinstance(etag, str) or not etag:
            raise BadRequestError(wanted)
        etags[number] = etag.strip('"')
    # Conflict, not bad request: which numbers are right depends on this upload.
    if len(parts) != count or sorted(etags) != list(range(1, count + 1)):
        raise ConflictError(wanted)
    return etags
