"""One frozen view of the environment, read in one place.

Nothing else in Sonagram reads ``os.environ``: the HTTP functions, the worker,
the local cloud and the tests all build a :class:`Settings` and pass it on.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

MIB = 1024 * 1024
GIB = 1024 * MIB
# The largest upload any stage may allow: a presigned POST takes up to 5 GB, but past this
# the worker's /tmp and memory (infra/rendering.py) cannot take the file.
MAX_UPLOAD_LIMIT = 2 * GIB


class SettingsError(ValueError):
    """A setting the environment gives that Sonagram cannot run with."""


def readable_bytes(size: int) -> str:
    """``size`` as people say it: "100 MiB", "2 GiB", or bytes when neither is whole."""
    for unit, name in ((GIB, "GiB"), (MIB, "MiB")):
        if size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None


@dataclass(frozen=True)
class Settings:
    stage: str = "local"
    region: str = "us-east-1"
    # None in the cloud (boto3 finds AWS); the local cloud's URL otherwise.
    cloud_endpoint: str | None = "http://127.0.0.1:4566"
    # DynamoDB may live elsewhere: LocalStack's DynamoDB does not run offline, so
    # with LOCAL_CLOUD=localstack the tables stay on a moto server.
    dynamodb_endpoint: str | None = "http://127.0.0.1:4566"
    recordings_bucket: str = "recordings"
    spectrograms_bucket: str = "spectrograms"
    recordings_table: str = "sonagram-recordings"
    spectrograms_table: str = "sonagram-spectrograms"
    projects_table: str = "sonagram-projects"
    annotations_table: str = "sonagram-annotations"
    members_table: str = "sonagram-members"
    assignments_table: str = "sonagram-assignments"
    tallies_table: str = "sonagram-tallies"
    work_table: str = "sonagram-work"
    project_recordings_table: str = "sonagram-project-recordings"
    jobs_queue: str = "sonagram-spectrogram-jobs"
    # The worker Lambda that tasks (chalicelib/tasks.py) are sent to in the cloud; None on the
    # local stage, where they go on the jobs queue the bridge polls.
    worker_function: str | None = None
    # Per stage: the cloud stage's is in .chalice/config.json, 1 byte .. MAX_UPLOAD_LIMIT.
    max_upload_bytes: int = 100 * MIB
    # Files larger than this upload in parts (S3 multipart), so a dropped connection resumes;
    # smaller ones in one presigned POST, whose policy S3 itself enforces.
    multipart_threshold_bytes: int = 100 * MIB
    # Each part's size (S3: at least 5 MiB but for the last); a drop loses at most the parts
    # in flight.
    multipart_part_bytes: int = 16 * MIB
    upload_expiry_s: int = 15 * 60
    download_expiry_s: int = 60 * 60
    max_duration_s: float = 4 * 3600.0
    job_timeout_s: float = 300.0
    # A rendering attempt renews its claim this often (/ 4); a lapsed claim means it died.
    job_lease_s: float = 20.0
    # How long a request deleting recordings marks and purges them (API Gateway and the API
    # function give it 10 s); the sweeper purges what is left.
    deletion_budget_s: float = 6.0
    # The local bridge sweeps this often (the cloud's schedule is in infra/rendering.py).
    sweep_every_s: float = 60.0
    # The key of the local stage's bearer tokens, which the local stack generates and gives the
    # API only (infra/local/token_key.py). None elsewhere: Cognito signs the cloud's tokens.
    auth_secret: str | None = None
    # The Cognito user pool the cloud's members are looked up in (chalicelib/users.py); None
    # on the local stage, whose members are any username that signs in.
    user_pool_id: str | None = None
    token_ttl_s: int = 7 * 24 * 3600
    ui_origin: str = "http://127.0.0.1:5173"
    # Tries per AWS request (botocore's "standard" retry mode, exponential backoff with jitter):
    # S3 answers SlowDown while it splits a busy prefix, DynamoDB throttles a hot partition.
    max_attempts: int = 5

    def __post_init__(self) -> None:
        if not 1 <= self.max_upload_bytes <= MAX_UPLOAD_LIMIT:
            raise SettingsError(
                f"MAX_UPLOAD_BYTES must be 1 to {MAX_UPLOAD_LIMIT} ("
                f"{readable_bytes(MAX_UPLOAD_LIMIT)}), not {self.max_upload_bytes}"
            )
        if self.max_attempts < 1:
            raise SettingsError(f"AWS_MAX_ATTEMPTS must be 1 or more, not {self.max_attempts}")

    @property
    def is_local(self) -> bool:
        return self.stage == "local"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        stage = env.get("SONAGRAM_STAGE", "local")
        if stage == "local":
            default_endpoint = f"http://127.0.0.1:{env.get('LOCAL_CLOUD_PORT', '4566')}"
        else:
            default_endpoint = None
        endpoint = env.get("AWS_ENDPOINT_URL", default_endpoint)
        region = env.get("AWS_REGION", env.get("AWS_DEFAULT_REGION", cls.region))
        return cls(
            stage=stage,
            region=region,
            cloud_endpoint=endpoint,
            dynamodb_endpoint=env.get("AWS_ENDPOINT_URL_DYNAMODB", endpoint),
            recordings_bucket=env.get("RECORDINGS_BUCKET", cls.recordings_bucket),
            spectrograms_bucket=env.get("SPECTROGRAMS_BUCKET", cls.spectrograms_bucket),
            recordings_table=env.get("RECORDINGS_TABLE", cls.recordings_table),
            spectrograms_table=env.get("SPECTROGRAMS_TABLE", cls.spectrograms_table),
            projects_table=env.get("PROJECTS_TABLE", cls.projects_table),
            annotations_table=env.get("ANNOTATIONS_TABLE", cls.annotations_table),
            members_table=env.get("MEMBERS_TABLE", cls.members_table),
            assignments_table=env.get("ASSIGNMENTS_TABLE", cls.assignments_table),
            tallies_table=env.get("TALLIES_TABLE", cls.tallies_table),
            work_table=env.get("WORK_TABLE", cls.work_table),
            project_recordings_table=env.get(
                "PROJECT_RECORDINGS_TABLE", cls.project_recordings_table
            ),
            jobs_queue=env.get("JOBS_QUEUE", cls.jobs_queue),
            worker_function=env.get("WORKER_FUNCTION") or None,
            max_upload_bytes=_whole(env, "MAX_UPLOAD_BYTES", cls.max_upload_bytes),
            multipart_threshold_bytes=_whole(
                env, "MULTIPART_THRESHOLD_BYTES", cls.multipart_threshold_bytes
            ),
            multipart_part_bytes=_whole(env, "MULTIPART_PART_BYTES", cls.multipart_part_bytes),
            max_duration_s=float(env.get("MAX_DURATION_S", cls.max_duration_s)),
            job_timeout_s=float(env.get("JOB_TIMEOUT_S", cls.job_timeout_s)),
            job_lease_s=float(env.get("JOB_LEASE_S", cls.job_lease_s)),
            deletion_budget_s=float(env.get("DELETION_BUDGET_S", cls.deletion_budget_s)),
            sweep_every_s=float(env.get("SWEEP_EVERY_S", cls.sweep_every_s)),
            auth_secret=env.get("AUTH_SECRET") or None,
            user_pool_id=env.get("USER_POOL_ID") or None,
            ui_origin=env.get("UI_ORIGIN", f"http://127.0.0.1:{env.get('UI_PORT', '5173')}"),
            # botocore's own variable name, read here like every other setting.
            max_attempts=_whole(env, "AWS_MAX_ATTEMPTS", cls.max_attempts),
        )


@functools.cache
def get_settings() -> Settings:
    """The process's settings, read once (warm Lambdas reuse them).

    A process whose environment names no stage refuses to start: a cloud function deployed
    without one would otherwise run as the local stage, whose sign-in needs no password.
    """
    if not os.environ.get("SONAGRAM_STAGE"):
        raise SettingsError(
            "SONAGRAM_STAGE is not set: name the stage this function serves (local for the "
            "local stack, which sets it; the deployed stage's name in the cloud)"
        )
    return Settings.from_environ()
