"""DynamoDB tables (PynamoDB): schema only.

A recording's metadata and its spectrogram's processing state live in two
tables: the worker rewrites the spectrogram row many times while the recording
row stays as the user created it (plus what decoding learned about the audio).
Projects, which group recordings, have a table of their own; so do their members
(with roles), the assignments of recordings to members, and the running counts a
project's dashboard and agreement read. A project's recordings and a member's work are
also kept as items in partitions of their own, read by Query of the table's key
(docs/lab-assignments.md has the access patterns).
"""

from __future__ import annotations

from pynamodb.attributes import (
    BinaryAttribute,
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.config import Settings


class OwnerIndex(GlobalSecondaryIndex):
    """A user's recordings (or projects), newest first (query with ``scan_index_forward=False``)."""

    class Meta:
        index_name = "by-owner"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class RecordingModel(Model):
    class Meta:
        table_name = Settings.recordings_table

    id = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute()
    filename = UnicodeAttribute()
    size = NumberAttribute()
    content_type = UnicodeAttribute()
    object_key = UnicodeAttribute()
    # The S3 multipart upload receiving the audio (chalicelib/multipart.py), until it completes.
    upload_id = UnicodeAttribute(null=True)
    # ISO 8601 UTC with microseconds: sorts as text in the owner index.
    created_at = UnicodeAttribute()
    # Learned when the audio is decoded.
    duration_s = NumberAttribute(null=True)
    sample_rate = NumberAttribute(null=True)
    channels = NumberAttribute(null=True)
    project_id = UnicodeAttribute(null=True)
    # The annotation set the API serves (chalicelib/annotations.py): a write stores a new
    # set's chunks, then moves these in one conditional update, so readers see one set whole.
    annotation_version = NumberAttribute(default=0)
    annotation_count = NumberAttribute(default=0)
    annotation_set = UnicodeAttribute(null=True)
    annotation_chunks = NumberAttribute(default=0)
    # The boxes' computed measurements (chalicelib/measurements.py), stored apart from the
    # versioned set so that the worker writing them never makes an editor's save a 409.
    measurement_set = UnicodeAttribute(null=True)
    measurement_chunks = NumberAttribute(default=0)
    # The last run of its project's detector presets (chalicelib/detections.py): queued,
    # running, done or failed, with what each preset found.
    detection = MapAttribute(null=True)
    # Who the recording is assigned to (usernames), kept with the assignments
    # (AssignmentModel) in the same transaction so that a listing shows them without a read.
    assignees = UnicodeSetAttribute(null=True)
    # What the recording's current annotation set adds to its project's tallies (TallyModel),
    # JSON, written with the set: a move or a deletion takes exactly this back.
    tally = UnicodeAttribute(null=True)

    by_owner = OwnerIndex()


class ProjectRecordingModel(Model):
    """One recording of a project, in its project's partition: the project's listing.

    Written in the transaction that puts the recording into the project, deleted in the one
    that takes it out (or purges it), so a Query of the partition reads it consistently,
    which an index cannot (chalicelib/project_recordings.py).
    """

    class Meta:
        table_name = Settings.project_recordings_table

    project_id = UnicodeAttribute(hash_key=True)
    # "<created_at>_<recording id>": newest first read backwards, and a listing's cursor.
    place = UnicodeAttribute(range_key=True)
    recording_id = UnicodeAttribute()


class UnfinishedIndex(GlobalSecondaryIndex):
    """Unfinished spectrograms (PENDING or PROCESSING) by age: the sweeper finds stuck jobs here.

    Sparse: a finished row carries no ``unfinished`` and is not in it, so a burst of renders
    finishing together writes no index items, and the key's shard (status.py) spreads the
    claims of a burst over several partitions.
    """

    class Meta:
        index_name = "by-unfinished"
        projection = KeysOnlyProjection()

    unfinished = UnicodeAttribute(hash_key=True)
    updated_at = UnicodeAttribute(range_key=True)


class SpectrogramModel(Model):
    class Meta:
        table_name = Settings.spectrograms_table

    recording_id = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute()
    status = UnicodeAttribute()
    error = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()
    # "<status>#<shard>" while PENDING or PROCESSING, absent once finished: the key of the
    # sweeper's sparse index, written with every status move (status.py).
    unfinished = UnicodeAttribute(null=True)
    # The uploaded object version (ETag) this row renders or rendered: replays render
    # once, a new upload to the same key renders again.
    source_etag = UnicodeAttribute(null=True)
    # The attempt holding (or that last held) the claim; its images are stored under
    # <audio key without extension>/<attempt_id>/ (chalicelib/renderings.py).
    attempt_id = UnicodeAttribute(null=True)
    # While PROCESSING: epoch seconds until which the attempt is presumed alive. Its
    # heartbeat extends it; once it lapses, the next delivery may take the job over.
    lease_until = NumberAttribute(null=True)
    attempts = NumberAttribute(default=0)
    # Times the sweeper announced the upload again (a lost event or a dead attempt).
    announcements = NumberAttribute(default=0)
    started_at = UnicodeAttribute(null=True)
    # Written on COMPLETED: where the rendering the API serves is stored.
    prefix = UnicodeAttribute(null=True)
    width = NumberAttribute(null=True)
    height = NumberAttribute(null=True)
    processing_ms = NumberAttribute(null=True)
    timings_ms = MapAttribute(null=True)
    engine_version = UnicodeAttribute(null=True)

    by_unfinished = UnfinishedIndex()


class ProjectModel(Model):
    class Meta:
        table_name = Settings.projects_table

    id = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute()
    name = UnicodeAttribute()
    created_at = UnicodeAttribute()
    # Spectrogram presets; null is the engine's default.
    f_max_hz = NumberAttribute(null=True)
    n_fft = NumberAttribute(null=True)
    hop_length = NumberAttribute(null=True)
    # Detector presets (chalicelib/detector_presets.py), a JSON list; null is none.
    detectors = UnicodeAttribute(null=True)
    # The labels keys 1-9 give a box in the viewer (chalicelib/projects.py), a JSON list
    # (index 0 is key 1, null a key without one); null is none.
    label_keys = UnicodeAttribute(null=True)
    # Set when its deletion begins: from then on no recording may join it.
    deleting = BooleanAttribute(null=True)
    # The review queue's index of every box of its recordings (chalicelib/review_index.py),
    # stored as chunks (chalicelib/chunks.py) under the project's id.
    review_index_set = UnicodeAttribute(null=True)
    review_index_chunks = NumberAttribute(default=0)

    by_owner = OwnerIndex()


class MemberIndex(GlobalSecondaryIndex):
    """The projects a user is a member of, newest membership first."""

    class Meta:
        index_name = "by-member"
        projection = AllProjection()

    username = UnicodeAttribute(hash_key=True)
    added_at = UnicodeAttribute(range_key=True)


class MemberModel(Model):
    """A user's role in a project (chalicelib/access.py decides what each role may do).

    The project's owner has a row too (role "owner"), written with the project and moved
    when ownership is handed over, so that the by-member index lists every project a user
    may open.
    """

    class Meta:
        table_name = Settings.members_table

    project_id = UnicodeAttribute(hash_key=True)
    # Who the member is as chalicelib/auth.py names callers: the local stage's username, the
    # cloud's Cognito sub.
    username = UnicodeAttribute(range_key=True)
    # How people know them, where that differs from ``username``: the Cognito username or
    # e-mail the owner added them by (cloud); null on the local stage.
    name = UnicodeAttribute(null=True)
    role = UnicodeAttribute()
    added_at = UnicodeAttribute()
    added_by = UnicodeAttribute()

    by_member = MemberIndex()


class AssignmentModel(Model):
    """One recording assigned to one member of its project, with the member's progress.

    A blind assignment (double annotation) keeps the assignee's own boxes apart from the
    recording's set until both assignees are done: its ``layer_*`` attributes point at them
    as the recording row points at its set (chalicelib/chunks.py).
    """

    class Meta:
        table_name = Settings.assignments_table

    recording_id = UnicodeAttribute(hash_key=True)
    assignee = UnicodeAttribute(range_key=True)
    project_id = UnicodeAttribute()
    # "to_do", "in_progress" or "done", set by the assignee.
    state = UnicodeAttribute()
    blind = BooleanAttribute(default=False)
    assigned_at = UnicodeAttribute()
    assigned_by = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    layer_set = UnicodeAttribute(null=True)
    layer_chunks = NumberAttribute(default=0)
    layer_version = NumberAttribute(default=0)
    layer_count = NumberAttribute(default=0)


class WorkItemModel(Model):
    """One assignment in its assignee's partition: their "My work", newest first.

    Written, changed and deleted in the same transactions as its AssignmentModel row
    (chalicelib/assignments.py), so the assignee reads it consistently right after being
    assigned; it carries all that My work shows of the assignment, so a page reads the
    assignment rows of its blind items only (their own boxes' count).
    """

    class Meta:
        table_name = Settings.work_table

    assignee = UnicodeAttribute(hash_key=True)
    # "<assigned_at>_<recording id>": newest first read backwards, and My work's cursor.
    place = UnicodeAttribute(range_key=True)
    recording_id = UnicodeAttribute()
    project_id = UnicodeAttribute()
    state = UnicodeAttribute()
    blind = BooleanAttribute(default=False)
    assigned_at = UnicodeAttribute()
    assigned_by = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class TallyModel(Model):
    """A project's running counts, one item a member (``member#<username>``) and one a label
    (``label#<label>``), plus one agreement summary a doubly annotated recording
    (``agreement#<recording id>``): the dashboard and the project's agreement are one query.

    Counts change by DynamoDB ``ADD`` in the same transaction as what they count.
    """

    class Meta:
        table_name = Settings.tallies_table

    project_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)
    # A member's assignments: all, those in progress and those done (with their audio).
    assigned = NumberAttribute(null=True)
    in_progress = NumberAttribute(null=True)
    recordings_done = NumberAttribute(null=True)
    audio_s_done = NumberAttribute(null=True)
    # Boxes of the project's annotation sets the member created, and reviewed.
    boxes_drawn = NumberAttribute(null=True)
    decisions = NumberAttribute(null=True)
    # A label item's boxes.
    boxes = NumberAttribute(null=True)
    # The project's item (``recordings``): its recordings (chalicelib/recording_counts.py).
    recordings = NumberAttribute(null=True)
    # An agreement item's figures, JSON (chalicelib/agreement.py).
    agreement = UnicodeAttribute(null=True)


class AnnotationChunkModel(Model):
    """One piece of a recording's annotation set, or of its boxes' computed measurements, or
    of a project's review index (chalicelib/chunks.py): compressed JSON, split to fit an item.

    10 000 boxes are megabytes of JSON, past DynamoDB's 400 KB item limit; a set is written
    as new chunks under a fresh set id, never over the chunks readers may be reading.
    """

    class Meta:
        table_name = Settings.annotations_table

    # The recording's id, or the project's for its review index (a blind assignee's own
    # boxes: the recording's id, under set ids that start with "l").
    recording_id = UnicodeAttribute(hash_key=True)
    # "<set id>#<index, 5 digits>": a set's chunks sort together and in order. Measurement
    # set ids start with "m", annotation set ids (hex) never do.
    chunk = UnicodeAttribute(range_key=True)
    data = BinaryAttribute(legacy_encoding=False)


MODELS: tuple[type[Model], ...] = (
    RecordingModel,
    SpectrogramModel,
    ProjectModel,
    AnnotationChunkModel,
    MemberModel,
    AssignmentModel,
    TallyModel,
    WorkItemModel,
    ProjectRecordingModel,
)


def bind(settings: Settings) -> None:
    """Point the models at the settings' tables and endpoint.

    PynamoDB caches one connection per model, built on first use: set the table
    name and host first, and drop any connection made for other settings.
    """
    tables = {
        RecordingModel: settings.recordings_table,
        SpectrogramModel: settings.spectrograms_table,
        ProjectModel: settings.projects_table,
        AnnotationChunkModel: settings.annotations_table,
        MemberModel: settings.members_table,
        AssignmentModel: settings.assignments_table,
        TallyModel: settings.tallies_table,
        WorkItemModel: settings.work_table,
        ProjectRecordingModel: settings.project_recordings_table,
    }
    for model, table_name in tables.items():
        model.Meta.table_name = table_name
        model.Meta.host = settings.dynamodb_endpoint
        model.Meta.region = settings.region
        # PynamoDB gives botocore's "standard" retry mode 1 + this many attempts: throttled
        # requests back off and try again, as the S3 and SQS clients do (clients.retries).
        model.Meta.max_retry_attempts = settings.max_attempts - 1
        model._connection = None


def create_tables(settings: Settings) -> None:
    """Create the tables if missing (local cloud; CDK creates them in AWS)."""
    bind(settings)
    for model in MODELS:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
