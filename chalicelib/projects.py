"""Projects: a user's groups of recordings, each with spectrogram presets for later, the
detector presets the worker runs on its recordings (chalicelib/detector_presets.py) and the
labels keys 1-9 give a box in the viewer (``label_keys``).

A project is shared with its members (chalicelib/members.py), each as their role allows
(chalicelib/access.py): to anyone else it is indistinguishable from one that does not exist.
A recording names its project (``RecordingModel.project_id``); a project finds its
recordings in their items in its own partition (chalicelib/project_recordings.py).
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from pynamodb.transactions import TransactWrite

from chalicelib import (
    access,
    chunks,
    database,
    members,
    project_recordings,
    recording_counts,
    tallies,
)
from chalicelib.access import Need, Role
from chalicelib.annotations import MAX_LABEL
from chalicelib.audio_types import PLAIN_TEXT
from chalicelib.clock import Clock, iso
from chalicelib.detector_presets import DetectorPreset, PresetError, presets_from_json
from chalicelib.errors import BadRequestError, NotFoundError
from chalicelib.models import MemberModel, ProjectModel
from chalicelib.paging import ISSUED_ID, Order, newest_first, page_size
from chalicelib.validation import fields, some_fields, text, whole_number

if TYPE_CHECKING:  # recordings imports this module
    from chalicelib.recordings import Recordings

PROJECT_ID = ISSUED_ID
MAX_NAME = 100
# What the document says of a name; validation.text checks the same.
NAME = re.compile(PLAIN_TEXT)
PRESETS = ("f_max_hz", "n_fft", "hop_length")
# The projects a user is a member of, newest membership first.
BY_MEMBER = Order(
    MemberModel.by_member,
    hash_attribute="username",
    sort_attribute="added_at",
    id_attribute="project_id",
)
# The FFT sizes a project may ask for: powers of two, 256 to 8192.
N_FFTS = tuple(2**k for k in range(8, 14))
# The engine's own n_fft, which a null n_fft stands for (chalicelib.spectrogram.stft.N_FFT,
# not imported: it loads numpy; tests/unit/test_project_rules.py checks they agree).
ENGINE_N_FFT = 2048
# 1 Hz up: DynamoDB stores no number below 1e-130, and a band under 1 Hz shows nothing.
# Bat detectors sample at up to about 1 MHz.
MIN_F_MAX_HZ, MAX_F_MAX_HZ = 1, 1_000_000
# Keys 1 to 9 of the viewer.
MAX_LABEL_KEYS = 9


@dataclass(frozen=True)
class Presets:
    """How a project's spectrograms are to be drawn; None is the engine's default."""

    f_max_hz: float | None = None
    n_fft: int | None = None
    hop_length: int | None = None

    @classmethod
    def from_request(cls, body: object) -> Presets:
        """Validate a ``presets`` value: an object of any of PRESETS, or null for none."""
        if body is None:
            return cls()
        try:
            f_max_hz, n_fft, hop_length = fields(body, optional=PRESETS)
        except BadRequestError as e:
            raise BadRequestError(f"presets: {e.message}") from e
        if f_max_hz is not None and not (
            isinstance(f_max_hz, int | float)
            and not isinstance(f_max_hz, bool)
            and MIN_F_MAX_HZ <= f_max_hz <= MAX_F_MAX_HZ
        ):
            raise BadRequestError(
                f"presets.f_max_hz must be a frequency from {MIN_F_MAX_HZ} to {MAX_F_MAX_HZ} Hz "
                f"(or null for the engine's), not {f_max_hz!r}"
            )
        window = whole_number(n_fft)
        if n_fft is not None and window not in N_FFTS:
            raise BadRequestError(
                f"presets.n_fft must be a power of two from {N_FFTS[0]} to {N_FFTS[-1]} "
                f"(or null for the engine's {ENGINE_N_FFT}), not {n_fft!r}"
            )
        hop = whole_number(hop_length)
        longest = window or ENGINE_N_FFT
        if hop_length is not None and not (hop is not None and 1 <= hop <= longest):
            raise BadRequestError(
                f"presets.hop_length must be an integer from 1 to n_fft ({longest}) "
                f"(or null for the engine's), not {hop_length!r}"
            )
        return cls(f_max_hz, window, hop)


def detectors_from_request(value: object) -> str | None:
    """A request's ``detectors`` (a list of presets) as stored: JSON text, None for none."""
    try:
        presets = presets_from_json(value)
    except PresetError as e:
        raise BadRequestError(str(e)) from e
    return json.dumps([preset.to_json() for preset in presets]) if presets else None


def detectors_of(project: ProjectModel) -> list[DetectorPreset]:
    """The project's detector presets, in the order people listed them."""
    return presets_from_json(json.loads(project.detectors)) if project.detectors else []


def label_keys_from_request(value: object) -> str | None:
    """A request's ``label_keys`` as stored: JSON text without trailing nulls, None for none.

    A list of up to MAX_LABEL_KEYS entries, index 0 for key 1: each a label as a box takes
    it (1 to MAX_LABEL characters, no control characters) or null for a key without one.
    """
    if not isinstance(value, list):
        raise BadRequestError(
            f"label_keys must be a list of up to {MAX_LABEL_KEYS} labels (or nulls), not {value!r}"
        )
    if len(value) > MAX_LABEL_KEYS:
        raise BadRequestError(
            f"label_keys lists {len(value)} labels; keys 1 to {MAX_LABEL_KEYS} take at most "
            f"{MAX_LABEL_KEYS}"
        )
    labels = [
        None if label is None else text(label, field=f"label_keys[{i}]", max_length=MAX_LABEL)
        for i, label in enumerate(value)
    ]
    while labels and labels[-1] is None:
        labels.pop()
    return json.dumps(labels) if labels else None


def label_keys_of(project: ProjectModel) -> list[str | None]:
    """The labels of keys 1, 2, ... (None: that key gives none); [] when no key has one."""
    return json.loads(project.label_keys) if project.label_keys else []


def given_id(value: object) -> str | None:
    """A ``project_id`` of a request body: null for none, else the id of a project.

    Whether the user may use it is for chalicelib/access.py to say; an id we never issue is
    no project's (404, as in a path).
    """
    if value is not None and not isinstance(value, str):
        raise BadRequestError(f"project_id must be a project's id or null, not {value!r}")
    if value is not None and not PROJECT_ID.fullmatch(value):
        raise NotFoundError(f"no project {value!r}")
    return value


def read(project_id: str) -> ProjectModel:
    """A recording's project (read consistently), whoever asks: the caller checked access to
    the recording. NotFoundError once it is gone."""
    with database.translated("read the project"):
        return ProjectModel.get(project_id, consistent_read=True)


@contextlib.contextmanager
def joining(user: str, project_id: str | None, action: str) -> Iterator[TransactWrite]:
    """A transaction for writing a recording that is to be in ``project_id`` (None: in none),
    which the user must be allowed to upload into (an annotator or the owner).

    It commits only if the project is not being deleted meanwhile, so that no recording
    outlives its project; otherwise NotFoundError, as for a missing project.
    """
    if project_id is not None:
        access.project(user, project_id, Need.ANNOTATE, action=action)
    open_to_recordings = ProjectModel.id.exists() & ProjectModel.deleting.does_not_exist()
    try:
        with database.translated(action), database.transaction() as transaction:
            yield transaction
            if project_id is not None:
                transaction.condition_check(ProjectModel, project_id, condition=open_to_recordings)
    except database.ConditionFailed as e:
        if project_id is None:
            raise
        raise NotFoundError(f"no project {project_id!r}") from e


def _as_view(project: ProjectModel, role: Role, recording_count: int | None = None) -> dict:
    if recording_count is None:
        recording_count = recording_counts.of([project.id])[project.id]
    return {
        "id": project.id,
        "name": project.name,
        "created_at": project.created_at,
        "presets": {name: getattr(project, name) for name in PRESETS},
        "detectors": [preset.to_json() for preset in detectors_of(project)],
        "label_keys": label_keys_of(project),
        "recording_count": recording_count,
        "role": role.value,
    }


def _views(memberships: list[MemberModel]) -> list[dict | None]:
    """The projects of these member rows, each with the member's role (None: the project was
    deleted meanwhile, or is being deleted)."""
    with database.translated("read the projects"):
        rows = {p.id: p for p in ProjectModel.batch_get([m.project_id for m in memberships])}
    counts = recording_counts.of(list(rows))
    return [
        _as_view(rows[m.project_id], Role(m.role), counts[m.project_id])
        if m.project_id in rows and not rows[m.project_id].deleting
        else None
        for m in memberships
    ]


class Projects:
    def __init__(self, *, recordings: Recordings, clock: Clock) -> None:
        self._recordings = recordings
        self._clock = clock

    def create(self, owner: str, body: object) -> dict:
        name, presets, detectors = fields(body, "name", optional=("presets", "detectors"))
        project = ProjectModel(
            id=str(uuid.uuid4()),
            owner=owner,
            name=text(name, field="name", max_length=MAX_NAME),
            created_at=iso(self._clock()),
            detectors=detectors_from_request([] if detectors is None else detectors),
            **asdict(Presets.from_request(presets)),
        )
        with database.translated("save the new project"), database.transaction() as transaction:
            transaction.save(project, condition=ProjectModel.id.does_not_exist())
            transaction.save(
                members.owner_row(project), condition=MemberModel.username.does_not_exist()
            )
            recording_counts.started(transaction, project.id)
        return _as_view(project, Role.OWNER, 0)

    def list(self, user: str, *, limit: str | None = None, cursor: str | None = None) -> dict:
        """A page of the projects the user is a member of, newest membership first."""
        size = page_size(limit)
        with database.translated("list projects"):
            page = newest_first(BY_MEMBER, user, limit=size, cursor=cursor, views=_views)
        return {"projects": page["items"], "next": page["next"]}

    def get(self, user: str, project_id: str) -> dict:
        return _as_view(*access.project(user, project_id, Need.SEE))

    def change(self, user: str, project_id: str, body: object) -> dict:
        """Rename the project or replace its presets, its detector presets or its label keys
        (a field left out stays as it is)."""
        given = some_fields(body, "name", "presets", "detectors", "label_keys")
        actions = []
        if "name" in given:
            name = text(given["name"], field="name", max_length=MAX_NAME)
            actions.append(ProjectModel.name.set(name))
        if "presets" in given:
            for attribute, value in asdict(Presets.from_request(given["presets"])).items():
                preset = getattr(ProjectModel, attribute)
                actions.append(preset.remove() if value is None else preset.set(value))
        if "detectors" in given:
            detectors = detectors_from_request(given["detectors"])
            actions.append(
                ProjectModel.detectors.remove()
                if detectors is None
                else ProjectModel.detectors.set(detectors)
            )
        if "label_keys" in given:
            labels = label_keys_from_request(given["label_keys"])
            actions.append(
                ProjectModel.label_keys.remove()
                if labels is None
                else ProjectModel.label_keys.set(labels)
            )
        project, role = access.project(user, project_id, Need.MANAGE, action="changing it")
        if actions:
            try:
                with database.translated("change the project"):
                    project.update(actions=actions, condition=ProjectModel.id.exists())
            except database.ConditionFailed as e:
                raise NotFoundError(f"no project {project_id!r}") from e
        return _as_view(project, role)

    def delete(self, user: str, project_id: str) -> int:
        """Delete the project and each of its recordings as ``DELETE /recordings/{id}`` does.

        Its recordings are marked for deletion first, as many as the request's time allows
        (thousands); the number not marked yet is returned, and the project stays, being
        deleted, until a later call has marked them all (0: the project is gone).
        """
        project, _ = access.project(user, project_id, Need.MANAGE, action="deleting it")
        deletions = self._recordings.deletions
        deadline = deletions.deadline()
        try:
            # From here no recording joins it (see joining), so none can outlive it.
            with database.translated("delete the project"):
                project.update(
                    actions=[ProjectModel.deleting.set(True)], condition=ProjectModel.id.exists()
                )
        except database.ConditionFailed as e:
            raise NotFoundError(f"no project {project_id!r}") from e
        recording_ids = project_recordings.ids(project_id)
        # The owner may delete every recording of the project, whoever uploaded it.
        marked = deletions.mark(None, recording_ids, deadline=deadline)
        if marked.untried:
            return len(marked.untried)
        with database.translated("delete the project"):
            project.delete()
        chunks.delete_all(project_id)  # its review index
        members.delete_all(project_id)
        deletions.purge_until(marked.marked, deadline=deadline)
        tallies.delete_all(project_id)
        return 0
