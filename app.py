"""Sonagram's HTTP API: routes only. Each reads its input, calls chalicelib, maps errors.

Never imports numpy (or the spectrogram engine): HTTP cold starts stay small.
"""

from __future__ import annotations

import functools
import re

from chalice import Chalice, CognitoUserPoolAuthorizer, CORSConfig, Response

from chalicelib import (
    access,
    agreements,
    annotation_files,
    annotation_sets,
    annotations,
    auth,
    clients,
    dashboard,
    deployment_imports,
    formats,
    layers,
    measurements,
    members,
    my_work,
    openapi,
    precision,
    review_index,
    review_queue,
    reviews,
    validation,
)
from chalicelib.access import Need
from chalicelib.assignments import Assignments
from chalicelib.clock import system_clock
from chalicelib.config import get_settings
from chalicelib.detections import DetectorRuns
from chalicelib.errors import NotFoundError, SonagramError
from chalicelib.http_headers import content_disposition
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings, with_spectrogram
from chalicelib.spectrograms import Spectrograms

app = Chalice(app_name="sonagram")
# API Gateway answers every origin: tokens are bearer tokens, not cookies, and Cognito hands
# them to the UI's origins only. The local stage, whose /auth/login gives a token to whoever
# asks, answers the UI's origin only (infra/local/api.py).
app.api.cors = CORSConfig(allow_origin="*", expose_headers=["Retry-After", "Content-Disposition"])

SPECTROGRAM_STATUS_CODES = {"COMPLETED": 200, "PENDING": 202, "PROCESSING": 202, "FAILED": 409}
RETRY_AFTER_S = "2"
# API Gateway lets a request reach a route that names this authorizer only with a valid ID token
# of the user pool (infra/api.py gives it the pool's ARN). Every route but /health,
# /openapi.json and /auth/login names it; current_user() says who the token is for.
USERS = auth.GatewayOnly(
    CognitoUserPoolAuthorizer(auth.AUTHORIZER, provider_arns=[auth.USER_POOL_PLACEHOLDER])
)
# Bodies are parsed as JSON whatever their label: no label (curl's form type, say) may
# turn a request into Chalice's 415, which is not in our {"error": ...} shape.
JSON_BODY_TYPES = ["*/*"]


def this_stage() -> dict:
    """What a service needs to work on this stage's tables and buckets."""
    settings = get_settings()
    clients.bind_tables(settings)
    return {"settings": settings, "storage": clients.storage(settings), "clock": system_clock}


@functools.cache
def recordings() -> Recordings:
    return Recordings(**this_stage())


@functools.cache
def spectrograms() -> Spectrograms:
    return Spectrograms(**this_stage())


@functools.cache
def projects() -> Projects:
    return Projects(recordings=recordings(), clock=system_clock)


@functools.cache
def detector_runs() -> DetectorRuns:
    clients.bind_tables(get_settings())
    return DetectorRuns(settings=get_settings(), clock=system_clock)


def allowed(recording_id: str, need: Need, action: str = "this"):
    """The recording's row, if the signed-in user's role allows ``need`` (access.py):
    NotFoundError when they may not see it, ForbiddenError naming ``action``."""
    clients.bind_tables(get_settings())
    recording, _ = access.recording(current_user(), recording_id, need, action=action)
    return recording


def allowed_project(project_id: str, need: Need, action: str = "this"):
    """The project's row, if the signed-in user's role allows ``need`` (access.py)."""
    clients.bind_tables(get_settings())
    project, _ = access.project(current_user(), project_id, need, action=action)
    return project


def json_error(status_code: int, message: str) -> Response:
    return Response(body={"error": message}, status_code=status_code)


def api(view):
    """Turn Sonagram's errors into ``{"error": ...}`` answers with their status code."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except SonagramError as e:
            app.log.info("%s %s -> %s", app.current_request.method, view.__name__, e)
            return json_error(e.status_code, e.message)

    return wrapped


def current_user() -> str:
    return auth.user_of(app.current_request, settings=get_settings())


def json_body() -> object:
    # The largest body a route takes is a recording's whole set of annotations.
    return validation.json_body(
        app.current_request.raw_body, max_containers=annotations.MAX_BODY_CONTAINERS
    )


def optional_json_body() -> object:
    """The JSON body, or None when the request has none."""
    return json_body() if app.current_request.raw_body else None


@app.route("/health")
def health():
    return {"ok": True}


@app.route("/auth/login", methods=["POST"], content_types=JSON_BODY_TYPES)
@api
def login():
    settings = get_settings()
    if not settings.is_local:
        raise NotFoundError("sign in through the Cognito hosted UI on this stage")
    auth.check_sign_in_label(app.current_request.headers.get("content-type"))
    (username,) = validation.fields(json_body(), "username")
    username = auth.check_username(username)
    return {
        "token": auth.issue_token(username, settings=settings, now=system_clock()),
        "username": username,
    }


@app.route("/recordings", methods=["POST"], content_types=JSON_BODY_TYPES, authorizer=USERS)
@api
def create_recording():
    created = recordings().create(current_user(), json_body())
    return Response(body=created, status_code=201)


@app.route("/recordings", methods=["GET"], authorizer=USERS)
@api
def list_recordings():
    query = app.current_request.query_params or {}
    return recordings().list(
        current_user(),
        limit=query.get("limit"),
        cursor=query.get("cursor"),
        project=query.get("project"),
        status=query.get("status"),
        q=query.get("q"),
    )


@app.route("/recordings/{recording_id}", methods=["GET"], authorizer=USERS)
@api
def get_recording(recording_id):
    return recordings().get(current_user(), recording_id)


@app.route("/recordings/{recording_id}", methods=["DELETE"], authorizer=USERS)
@api
def delete_recording(recording_id):
    recordings().delete(current_user(), recording_id)
    return Response(body="", status_code=204)


@app.route(
    "/recordings/{recording_id}", methods=["PATCH"], content_types=JSON_BODY_TYPES, authorizer=USERS
)
@api
def change_recording(recording_id):
    return recordings().change(current_user(), recording_id, json_body())


@app.route("/recordings/delete", methods=["POST"], content_types=JSON_BODY_TYPES, authorizer=USERS)
@api
def delete_recordings():
    return recordings().delete_many(current_user(), json_body())


@app.route("/recordings/{recording_id}/upload", methods=["GET"], authorizer=USERS)
@api
def upload_progress(recording_id):
    return recordings().upload_progress(current_user(), recording_id)


@app.route(
    "/recordings/{recording_id}/upload/parts",
    methods=["POST"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def presign_parts(recording_id):
    return recordings().presign_parts(current_user(), recording_id, json_body())


@app.route(
    "/recordings/{recording_id}/upload/complete",
    methods=["POST"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def complete_upload(recording_id):
    return recordings().complete_upload(current_user(), recording_id, json_body())


@app.route("/recordings/{recording_id}/spectrogram/status", methods=["GET"], authorizer=USERS)
@api
def spectrogram_status(recording_id):
    return spectrograms().read_status(current_user(), recording_id)


@app.route("/recordings/{recording_id}/spectrogram", methods=["GET"], authorizer=USERS)
@api
def spectrogram(recording_id):
    status, body = spectrograms().manifest(current_user(), recording_id)
    code = SPECTROGRAM_STATUS_CODES[status]
    headers = {"Retry-After": RETRY_AFTER_S} if code == 202 else {}
    return Response(body=body, status_code=code, headers=headers)


@app.route("/recordings/{recording_id}/spectrogram/regenerate", methods=["POST"], authorizer=USERS)
@api
def regenerate_spectrogram(recording_id):
    return Response(body=spectrograms().regenerate(current_user(), recording_id), status_code=202)


@app.route("/recordings/{recording_id}/audio", methods=["GET"], authorizer=USERS)
@api
def recording_audio(recording_id):
    url = spectrograms().audio_url(current_user(), recording_id)
    return Response(body="", status_code=302, headers={"Location": url})


@app.route("/projects", methods=["POST"], content_types=JSON_BODY_TYPES, authorizer=USERS)
@api
def create_project():
    return Response(body=projects().create(current_user(), json_body()), status_code=201)


@app.route("/projects", methods=["GET"], authorizer=USERS)
@api
def list_projects():
    query = app.current_request.query_params or {}
    return projects().list(current_user(), limit=query.get("limit"), cursor=query.get("cursor"))


@app.route("/projects/{project_id}", methods=["GET"], authorizer=USERS)
@api
def get_project(project_id):
    return projects().get(current_user(), project_id)


@app.route(
    "/projects/{project_id}", methods=["PATCH"], content_types=JSON_BODY_TYPES, authorizer=USERS
)
@api
def change_project(project_id):
    return projects().change(current_user(), project_id, json_body())


@app.route("/projects/{project_id}", methods=["DELETE"], authorizer=USERS)
@api
def delete_project(project_id):
    left = projects().delete(current_user(), project_id)
    if left:
        # Too many to mark in one request: the next DELETE goes on.
        return Response(body={"recordings_left": left}, status_code=202)
    return Response(body="", status_code=204)


@app.route("/projects/{project_id}/members", methods=["GET"], authorizer=USERS)
@api
def list_members(project_id):
    clients.bind_tables(get_settings())
    return members.listing(current_user(), project_id)


@app.route(
    "/projects/{project_id}/members",
    methods=["POST"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def add_member(project_id):
    clients.bind_tables(get_settings())
    added = members.add(
        current_user(), project_id, json_body(), settings=get_settings(), clock=system_clock
    )
    return Response(body=added, status_code=201)


@app.route(
    "/projects/{project_id}/members/{username}",
    methods=["PATCH"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def change_member(project_id, username):
    clients.bind_tables(get_settings())
    return members.change(current_user(), project_id, username, json_body())


@app.route("/projects/{project_id}/members/{username}", methods=["DELETE"], authorizer=USERS)
@api
def remove_member(project_id, username):
    clients.bind_tables(get_settings())
    members.remove(current_user(), project_id, username)
    return Response(body="", status_code=204)


def measured(recording, boxes: list[dict]) -> list[dict]:
    """After a write of the recording's set: ``boxes`` with their computed measurements, and a
    measure task queued when any box of the set lacks them."""
    return measurements.merged(boxes, measurements.after_write(get_settings(), recording))


@app.route("/recordings/{recording_id}/annotations", methods=["GET"], authorizer=USERS)
@api
def get_annotations(recording_id):
    recording = allowed(recording_id, Need.SEE)
    layer = layers.editing(current_user(), recording)
    read = annotation_sets.get(recording, layer=layer)
    if layer is None:  # the worker measures the main set's boxes only
        read["annotations"] = measurements.merged(read["annotations"], measurements.load(recording))
    return read


@app.route("/recordings/{recording_id}/measurements", methods=["GET"], authorizer=USERS)
@api
def get_measurements(recording_id):
    return measurements.state(allowed(recording_id, Need.SEE))


@app.route(
    "/recordings/{recording_id}/annotations",
    methods=["PUT"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def replace_annotations(recording_id):
    recording = allowed(recording_id, Need.ANNOTATE, "editing boxes")
    layer = layers.editing(current_user(), recording)
    written = annotation_sets.replace(
        recording, json_body(), user=current_user(), clock=system_clock, layer=layer
    )
    if layer is None:
        written["annotations"] = measured(recording, written["annotations"])
    return written


@app.route(
    "/recordings/{recording_id}/annotations",
    methods=["PATCH"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def change_annotations(recording_id):
    recording = allowed(recording_id, Need.ANNOTATE, "editing boxes")
    layer = layers.editing(current_user(), recording)
    changed = annotation_sets.patch(
        recording, json_body(), user=current_user(), clock=system_clock, layer=layer
    )
    if layer is None:
        changed["upserted"] = measured(recording, changed["upserted"])
    return changed


def download(exported: formats.Export) -> Response:
    return Response(
        body=exported.data.decode(),
        headers={
            "Content-Type": exported.content_type,
            "Content-Disposition": content_disposition(exported.filename, "attachment"),
        },
    )


@app.route("/recordings/{recording_id}/annotations/export", methods=["GET"], authorizer=USERS)
@api
def export_annotations(recording_id):
    query = app.current_request.query_params or {}
    return download(
        annotation_files.export_file(
            allowed(recording_id, Need.SEE), query.get("format"), review=query.get("review")
        )
    )


@app.route("/projects/{project_id}/annotations/export", methods=["GET"], authorizer=USERS)
@api
def export_project_annotations(project_id):
    clients.bind_tables(get_settings())
    query = app.current_request.query_params or {}
    return download(
        annotation_files.export_project(
            current_user(), project_id, query.get("format"), review=query.get("review")
        )
    )


# Any label: the body is the file's bytes (send application/octet-stream so API Gateway
# passes other encodings than UTF-8 through untouched).
@app.route(
    "/recordings/{recording_id}/annotations/import",
    methods=["POST"],
    content_types=["*/*"],
    authorizer=USERS,
)
@api
def import_annotations(recording_id):
    query = app.current_request.query_params or {}
    recording = allowed(recording_id, Need.ANNOTATE, "importing boxes")
    layer = layers.editing(current_user(), recording)
    imported = annotation_files.import_file(
        recording,
        app.current_request.raw_body or b"",
        format=query.get("format"),
        mode=query.get("mode"),
        user=current_user(),
        clock=system_clock,
        layer=layer,
    )
    if layer is None:
        imported["annotations"] = measured(recording, imported["annotations"])
    return imported


@app.route(
    "/recordings/{recording_id}/detect",
    methods=["POST"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def detect_recording(recording_id):
    clients.bind_tables(get_settings())
    recording, spectrogram, _ = with_spectrogram(
        current_user(), recording_id, Need.ANNOTATE, action="running detectors"
    )
    queued = detector_runs().run_recording(recording, spectrogram, optional_json_body())
    return Response(body=queued, status_code=202)


@app.route(
    "/projects/{project_id}/detect",
    methods=["POST"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def detect_project(project_id):
    queued = detector_runs().run_project(current_user(), project_id, optional_json_body())
    return Response(body=queued, status_code=202)


# A project's detector output, one result file a request (the browser sends a few at once):
# matched to the project's recordings by the audio names in it (docs/annotations.md).
@app.route(
    "/projects/{project_id}/annotations/import",
    methods=["POST"],
    content_types=["*/*"],
    authorizer=USERS,
)
@api
def import_detector_output(project_id):
    clients.bind_tables(get_settings())
    query = app.current_request.query_params or {}
    return deployment_imports.import_file(
        get_settings(),
        current_user(),
        project_id,
        app.current_request.raw_body or b"",
        file=query.get("file"),
        format=query.get("format"),
    )


@app.route("/projects/{project_id}/review", methods=["GET"], authorizer=USERS)
@api
def project_review(project_id):
    query = review_queue.Query.read(app.current_request.query_params, project=True)
    project = allowed_project(project_id, Need.SEE)
    return review_queue.page(review_index.project_scope(project), query)


@app.route("/recordings/{recording_id}/review", methods=["GET"], authorizer=USERS)
@api
def recording_review(recording_id):
    query = review_queue.Query.read(app.current_request.query_params, project=False)
    recording = allowed(recording_id, Need.SEE)
    return review_queue.page(review_index.recording_scope(recording), query)


@app.route("/reviews", methods=["POST"], content_types=JSON_BODY_TYPES, authorizer=USERS)
@api
def decide_reviews():
    clients.bind_tables(get_settings())
    return reviews.decide(current_user(), json_body(), clock=system_clock)


@app.route(
    "/projects/{project_id}/reviews/accept",
    methods=["POST"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def accept_above(project_id):
    clients.bind_tables(get_settings())
    return reviews.accept_above(current_user(), project_id, json_body(), clock=system_clock)


@app.route(
    "/projects/{project_id}/reviews/accept/undo",
    methods=["POST"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def undo_accept_above(project_id):
    clients.bind_tables(get_settings())
    return reviews.undo_accept(current_user(), project_id, json_body(), clock=system_clock)


@app.route("/projects/{project_id}/precision", methods=["GET"], authorizer=USERS)
@api
def project_precision(project_id):
    query = review_queue.PrecisionQuery.read(app.current_request.query_params)
    project = allowed_project(project_id, Need.SEE)
    scored = query.scored(review_index.project_scope(project))
    table = precision.by_label(scored, target=query.target)
    if query.format == "json":
        return precision.as_json(table, query.target)
    # Folders in a name would cut it short (content_disposition keeps the last part).
    name = re.sub(r"[/\\]", "-", project.name)
    return Response(
        body=precision.as_csv(table, query.target),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": content_disposition(f"precision-{name}.csv", "attachment"),
        },
    )


# Assignments, My work and the dashboard (chalicelib/assignments.py, my_work.py, dashboard.py).


@functools.cache
def assignments() -> Assignments:
    clients.bind_tables(get_settings())
    return Assignments(clock=system_clock)


@app.route(
    "/projects/{project_id}/assignments",
    methods=["POST"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def assign_recordings(project_id):
    return assignments().assign(current_user(), project_id, json_body())


@app.route("/recordings/{recording_id}/assignments", methods=["GET"], authorizer=USERS)
@api
def recording_assignments(recording_id):
    return assignments().of_recording(current_user(), recording_id)


@app.route(
    "/recordings/{recording_id}/assignments/{username}",
    methods=["PATCH"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def change_assignment(recording_id, username):
    return assignments().change_state(current_user(), recording_id, username, json_body())


@app.route(
    "/recordings/{recording_id}/assignments/{username}", methods=["DELETE"], authorizer=USERS
)
@api
def remove_assignment(recording_id, username):
    assignments().remove(current_user(), recording_id, username)
    return Response(body="", status_code=204)


@app.route("/my-work", methods=["GET"], authorizer=USERS)
@api
def my_assignments():
    clients.bind_tables(get_settings())
    query = app.current_request.query_params or {}
    return my_work.page(
        current_user(),
        state=query.get("state"),
        project=query.get("project"),
        limit=query.get("limit"),
        cursor=query.get("cursor"),
    )


@app.route("/projects/{project_id}/dashboard", methods=["GET"], authorizer=USERS)
@api
def project_dashboard(project_id):
    clients.bind_tables(get_settings())
    return dashboard.of_project(current_user(), project_id)


# Agreement between a recording's two blind annotators, and their consensus
# (chalicelib/agreements.py, docs/lab-agreement.md).
@app.route("/recordings/{recording_id}/agreement", methods=["GET"], authorizer=USERS)
@api
def recording_agreement(recording_id):
    clients.bind_tables(get_settings())
    return agreements.of_recording(current_user(), recording_id)


@app.route("/projects/{project_id}/agreement", methods=["GET"], authorizer=USERS)
@api
def project_agreement(project_id):
    clients.bind_tables(get_settings())
    return agreements.of_project(current_user(), project_id)


@app.route(
    "/recordings/{recording_id}/consensus",
    methods=["POST"],
    content_types=JSON_BODY_TYPES,
    authorizer=USERS,
)
@api
def merge_consensus(recording_id):
    clients.bind_tables(get_settings())
    recording, merged = agreements.merge(
        current_user(), recording_id, json_body(), clock=system_clock
    )
    measurements.after_write(get_settings(), recording)
    return merged


@app.route("/openapi.json")
def openapi_document():
    return openapi.document(get_settings())
