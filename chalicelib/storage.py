"""S3 behind one small class: presigned URLs, objects in and out, SDK errors translated once."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import ChangedError, NotFoundError, StorageError
from chalicelib.ranged_file import RangedFile

logger = logging.getLogger(__name__)

# Spectrogram images never change under a key (a re-render writes new keys), so
# browsers may keep them for a day.
IMAGE_CACHE_CONTROL = "max-age=86400"
_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchUpload"}
_CHANGED = {"412", "PreconditionFailed"}
# A missing bucket is a configuration error: trying again will not help.
_PERMANENT = {
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidRequest",
    "NoSuchBucket",
}


@contextmanager
def _translated(action: str, bucket: str, key: str) -> Iterator[None]:
    try:
        yield
    except ClientError as e:
        code = e.response.get("Error", {}).get("Code", "")
        if code in _MISSING:
            raise NotFoundError(f"s3://{bucket}/{key} does not exist") from e
        if code in _CHANGED:
            raise ChangedError(f"s3://{bucket}/{key} changed since it was read") from e
        raise StorageError(
            f"could not {action} s3://{bucket}/{key}: {code}", retryable=code not in _PERMANENT
        ) from e
    except BotoCoreError as e:
        raise StorageError(f"could not {action} s3://{bucket}/{key}: {e}", retryable=True) from e


def expiry(now: datetime, expires_s: int) -> str:
    """When a URL signed at ``now`` for ``expires_s`` expires, in ISO 8601 UTC."""
    expires_at = (now + timedelta(seconds=expires_s)).astimezone(UTC)
    return expires_at.isoformat().replace("+00:00", "Z")


class Storage:
    def __init__(self, client) -> None:
        self._s3 = client

    def presign_upload(
        self,
        *,
        bucket: str,
        key: str,
        content_type: str,
        size: int,
        expires_s: int,
        now: datetime,
    ) -> dict:
        """A presigned POST that accepts exactly one object: this key, this type, ``size`` bytes.

        The size is the one announced (and checked against the limit): another file cannot
        go up through the same URL.
        """
        with _translated("presign an upload to", bucket, key):
            post = self._s3.generate_presigned_post(
                Bucket=bucket,
                Key=key,
                Fields={"Content-Type": content_type},
                Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
                ExpiresIn=expires_s,
            )
        return {"url": post["url"], "fields": post["fields"], "expires_at": expiry(now, expires_s)}

    def start_multipart(self, *, bucket: str, key: str, content_type: str) -> str:
        """Begin a multipart upload to ``key`` (its content type fixed here); its upload id."""
        with _translated("start an upload to", bucket, key):
            return self._s3.create_multipart_upload(
                Bucket=bucket, Key=key, ContentType=content_type
            )["UploadId"]

    def presign_part(
        self, *, bucket: str, key: str, upload_id: str, number: int, size: int, expires_s: int
    ) -> str:
        """A presigned PUT of part ``number``; the signature covers its Content-Length, so S3
        takes exactly ``size`` bytes through it."""
        params = {
            "Bucket": bucket,
            "Key": key,
            "UploadId": upload_id,
            "PartNumber": number,
            "ContentLength": size,
        }
        with _translated("presign a part of", bucket, key):
            return self._s3.generate_presigned_url(
                "upload_part", Params=params, ExpiresIn=expires_s
            )

    def received_parts(self, *, bucket: str, key: str, upload_id: str) -> dict[int, dict]:
        """The parts S3 holds of a multipart upload: number -> ``{"etag", "size", "at"}``
        (``at``: when it arrived, epoch seconds). NotFoundError once completed or aborted."""
        parts = {}
        with _translated("list the parts of", bucket, key):
            pages = self._s3.get_paginator("list_parts").paginate(
                Bucket=bucket, Key=key, UploadId=upload_id
            )
            for page in pages:
                for part in page.get("Parts", []):
                    parts[part["PartNumber"]] = {
                        "etag": part["ETag"].strip('"'),
                        "size": part["Size"],
                        "at": part["LastModified"].timestamp(),
                    }
        return parts

    def complete_multipart(
        self, *, bucket: str, key: str, upload_id: str, etags: dict[int, str]
    ) -> None:
        """Join the parts (number -> ETag) into the object: S3 announces it as ObjectCreated."""
        parts = [{"PartNumber": n, "ETag": f'"{etag}"'} for n, etag in sorted(etags.items())]
        with _translated("complete the upload to", bucket, key):
            self._s3.complete_multipart_upload(
                Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )

    def abort_multipart(self, *, bucket: str, key: str, upload_id: str) -> None:
        """Drop a multipart upload and every part it received; done already is fine."""
        try:
            with _translated("abort the upload to", bucket, key):
                self._s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
        except NotFoundError:
            pass

    def presign_download(self, *, bucket: str, key: str, expires_s: int, **response) -> str:
        """A presigned GET; ``response`` adds S3 response overrides (CacheControl, ...)."""
        params = {"Bucket": bucket, "Key": key}
        params.update({f"Response{name}": value for name, value in response.items()})
        with _translated("presign a download of", bucket, key):
            return self._s3.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_s)

    def head(self, *, bucket: str, key: str) -> dict:
        with _translated("read", bucket, key):
            return self._s3.head_object(Bucket=bucket, Key=key)

    def open_ranged(self, *, bucket: str, key: str, etag: str, size: int) -> RangedFile:
        """The object as a seekable file read in ranges, each only while the object is still
        version ``etag`` (else ChangedError, raised when the file's ``with`` block ends)."""

        def fetch(start: int, stop: int) -> bytes:
            with _translated("read", bucket, key):
                return self._s3.get_object(
                    Bucket=bucket, Key=key, IfMatch=f'"{etag}"', Range=f"bytes={start}-{stop - 1}"
                )["Body"].read()

        return RangedFile(fetch, size)

    def put(
        self,
        *,
        bucket: str,
        key: str,
        body: bytes | bytearray,
        content_type: str,
        cache_control: str | None,
    ) -> None:
        extra = {"CacheControl": cache_control} if cache_control else {}
        with _translated("write", bucket, key):
            self._s3.put_object(
                Bucket=bucket, Key=key, Body=body, ContentType=content_type, **extra
            )

    def rewrite(self, *, bucket: str, key: str, content_type: str) -> None:
        """Copy an object onto itself: S3 announces it again as ObjectCreated:Copy."""
        with _translated("rewrite", bucket, key):
            self._s3.copy_object(
                Bucket=bucket,
                Key=key,
                CopySource={"Bucket": bucket, "Key": key},
                MetadataDirective="REPLACE",
                ContentType=content_type,
            )

    @contextmanager
    def background_puts(
        self, *, bucket: str, content_type: str, cache_control: str | None, workers: int = 2
    ) -> Iterator[Callable[[str, bytes | bytearray], None]]:
        """A ``put(key, body)`` that writes in ``workers`` threads, so that making the next
        object overlaps sending this one; it waits while ``workers`` objects are on their
        way (their bodies are all it holds). Every object is written when the block ends;
        a failure is raised by the next ``put`` or at the end.
        """
        slots = threading.BoundedSemaphore(workers)
        sending: list[Future] = []
        # Leaving waits for the pool: after a failure the caller deletes what was written,
        # and an object still on its way would land after that.
        with ThreadPoolExecutor(workers, thread_name_prefix="sonagram-put") as pool:

            def put(key: str, body: bytes | bytearray) -> None:
                slots.acquire()
                for sent in [future for future in sending if future.done()]:
                    sending.remove(sent)
                    sent.result()
                future = pool.submit(
                    self.put,
                    bucket=bucket,
                    key=key,
                    body=body,
                    content_type=content_type,
                    cache_control=cache_control,
                )
                future.add_done_callback(lambda _: slots.release())
                sending.append(future)

            yield put
            for future in sending:
                future.result()

    def read_json(self, *, bucket: str, key: str) -> dict:
        with _translated("read", bucket, key):
            body = self._s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        return json.loads(body)

    def delete(self, *, bucket: str, key: str) -> None:
        with _translated("delete", bucket, key):
            self._s3.delete_object(Bucket=bucket, Key=key)

    def delete_prefix(self, *, bucket: str, prefix: str) -> int:
        """Delete every object under ``prefix``; returns how many."""
        deleted = 0
        with _translated("delete", bucket, prefix + "*"):
            for page in self._s3.get_paginator("list_objects_v2").paginate(
                Bucket=bucket, Prefix=prefix
            ):
                keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
                if keys:
                    self._s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
                    deleted += len(keys)
        return deleted
