import { backoffDelay, sleep } from "./backoff";
import type {
  Annotation,
  AnnotationChanges,
  AnnotationSet,
  Created,
  Detection,
  DetectorOutputImport,
  DetectorPreset,
  Manifest,
  MeasurementsAnswer,
  PartUrls,
  Project,
  Recording,
  RecordingPage,
  Status,
  UploadProgress,
  AcceptRequest,
  Accepted,
  PrecisionQuery,
  PrecisionTable,
  ProjectExportFormat,
  ReviewFilter,
  Undone,
} from "./types";

/** An answer the API refused: its status and the server's own sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** 409: someone else changed the thing first (annotations' stale version). */
export class ConflictError extends ApiError {
  constructor(message: string) {
    super(409, message);
    this.name = "ConflictError";
  }
}

// Safe to send again: a retry cannot do the thing twice.
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 4000;
const KEEPALIVE_MAX = 60_000;

export interface ClientOptions {
  baseUrl: string;
  token: () => string | null;
  /** Called on 401: the token expired or was never valid. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
  wait?: (ms: number) => Promise<void>;
  retries?: number;
}

export class ApiClient {
  private readonly fetch: typeof fetch;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly retries: number;

  constructor(private readonly options: ClientOptions) {
    // Bound: a detached window.fetch throws "Illegal invocation".
    this.fetch = options.fetch ?? window.fetch.bind(window);
    this.wait = options.wait ?? sleep;
    this.retries = options.retries ?? 4;
  }

  /** JSON in, JSON out: the API's usual exchange. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const json = body === undefined ? undefined : { body: JSON.stringify(body), type: "application/json" };
    return this.read<T>(method, path, await this.send(method, path, json));
  }

  /** The answer itself, for files: export downloads, import uploads raw bytes. */
  private async send(method: string, path: string, content?: { body: BodyInit; type: string }): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = this.options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (content) headers["Content-Type"] = content.type;
    // keepalive lets the last autosave of a closing tab finish; browsers allow it for
    // bodies up to 64 KiB only.
    const small = typeof content?.body === "string" && content.body.length < KEEPALIVE_MAX;
    const init: RequestInit = { method, headers, body: content?.body, keepalive: small };
    const url = this.options.baseUrl + path;
    const attempts = IDEMPOTENT.has(method) ? this.retries + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= attempts;
      let answer: Response;
      try {
        answer = await this.fetch(url, init);
      } catch (failure) {
        if (last) throw new ApiError(0, `${method} ${path} could not reach the API: ${String(failure)}`);
        await this.wait(backoffDelay(attempt, RETRY_FIRST_MS, RETRY_MAX_MS));
        continue;
      }
      if (answer.status === 503 && !last) {
        await this.wait(retryAfterMs(answer) ?? backoffDelay(attempt, RETRY_FIRST_MS, RETRY_MAX_MS));
        continue;
      }
      return answer;
    }
  }

  /** A file and the name the server gave it (Content-Disposition), ``fallback`` when it gave none. */
  private async file(path: string, fallback: string): Promise<DownloadedFile> {
    const answer = await this.send("GET", path);
    if (!answer.ok) await this.read("GET", path, answer);
    return { filename: attachmentName(answer) ?? fallback, data: await answer.blob() };
  }

  private async read<T>(method: string, path: string, answer: Response): Promise<T> {
    const text = await answer.text();
    if (answer.ok) return (text ? JSON.parse(text) : undefined) as T;
    const sentence = serverSentence(text) ?? `${method} ${path} answered ${answer.status}`;
    if (answer.status === 401) this.options.onUnauthorized?.();
    if (answer.status === 409) throw new ConflictError(sentence);
    throw new ApiError(answer.status, sentence);
  }

  login(username: string): Promise<{ token: string; username: string }> {
    return this.request("POST", "/auth/login", { username });
  }

  /** One page, newest first; ``filters`` as GET /recordings takes them (project, status, q). */
  listRecordings(filters: RecordingFilters = {}): Promise<RecordingPage> {
    return this.request("GET", `/recordings${query(filters)}`);
  }

  getRecording(id: string): Promise<Recording> {
    return this.request("GET", recordingPath(id));
  }

  /** A new recording (in project ``projectId`` if given) and where to send its audio. */
  createRecording(file: { name: string; size: number; type: string }, projectId: string | null = null): Promise<Created> {
    return this.request("POST", "/recordings", {
      filename: file.name,
      size: file.size,
      content_type: file.type,
      ...(projectId === null ? {} : { project_id: projectId }),
    });
  }

  /** Which parts of an upload in parts the bucket holds. */
  uploadProgress(id: string): Promise<UploadProgress> {
    return this.request("GET", `${recordingPath(id)}/upload`);
  }

  /** Fresh presigned URLs for these parts (the first ones expire). */
  presignParts(id: string, numbers: number[]): Promise<PartUrls> {
    return this.request("POST", `${recordingPath(id)}/upload/parts`, { numbers });
  }

  /** Join every part (number -> ETag) into the recording's audio. */
  completeUpload(id: string, etags: Map<number, string>): Promise<Recording> {
    const parts = [...etags].sort(([a], [b]) => a - b).map(([number, etag]) => ({ number, etag }));
    return this.request("POST", `${recordingPath(id)}/upload/complete`, { parts });
  }

  deleteRecording(id: string): Promise<void> {
    return this.request("DELETE", recordingPath(id));
  }

  /** The manifest with fresh presigned URLs, or the status while it is not rendered yet. */
  getSpectrogram(id: string): Promise<Manifest | { status: Status }> {
    return this.request("GET", `${recordingPath(id)}/spectrogram`);
  }

  regenerate(id: string): Promise<void> {
    return this.request("POST", `${recordingPath(id)}/spectrogram/regenerate`);
  }

  getAnnotations(id: string): Promise<AnnotationSet> {
    return this.request("GET", `${recordingPath(id)}/annotations`);
  }

  /** Autosave: only what changed since ``version``; a stale version throws ConflictError. */
  changeAnnotations(
    id: string,
    changes: { version: number; upsert: Annotation[]; delete: string[] },
  ): Promise<AnnotationChanges> {
    return this.request("PATCH", `${recordingPath(id)}/annotations`, changes);
  }

  replaceAnnotations(id: string, set: AnnotationSet): Promise<AnnotationSet> {
    return this.request("PUT", `${recordingPath(id)}/annotations`, set);
  }

  /** The exported file and the name the server gave it; ``review`` "accepted" keeps only accepted boxes. */
  exportAnnotations(id: string, format: ExportFormat, review?: ReviewFilter): Promise<DownloadedFile> {
    return this.file(`${recordingPath(id)}/annotations/export${query({ format, review })}`, `annotations.${format}`);
  }

  /** One file over every recording of the project, as exportAnnotations writes one. */
  exportProjectAnnotations(id: string, format: ProjectExportFormat, review?: ReviewFilter): Promise<DownloadedFile> {
    return this.file(`${projectPath(id)}/annotations/export${query({ format, review })}`, `annotations.${format}`);
  }

  /** Precision by confidence for each label of the project (or the query's one label, source, recording). */
  getPrecision(id: string, filter: PrecisionQuery = {}): Promise<PrecisionTable> {
    return this.request("GET", `${projectPath(id)}/precision${query({ ...filter })}`);
  }

  /** The same table as a CSV file. */
  precisionCsv(id: string, filter: PrecisionQuery = {}): Promise<DownloadedFile> {
    return this.file(`${projectPath(id)}/precision${query({ ...filter, format: "csv" })}`, "precision.csv");
  }

  /** Accepts every unreviewed box of a label at or above a confidence, as one action that can be undone. */
  acceptAbove(id: string, request: AcceptRequest): Promise<Accepted> {
    return this.request("POST", `${projectPath(id)}/reviews/accept`, request);
  }

  /** Makes the boxes of one bulk accept (its `action`) unreviewed again. */
  undoAccept(id: string, action: string): Promise<Undone> {
    return this.request("POST", `${projectPath(id)}/reviews/accept/undo`, { action });
  }

  /** The file's bytes as they are; ``format`` undefined lets the server detect it. */
  importAnnotations(
    id: string,
    file: Blob,
    options: { format?: ImportFormat; mode: "append" | "replace" },
  ): Promise<AnnotationSet> {
    const path = `${recordingPath(id)}/annotations/import${query(options)}`;
    return this.send("POST", path, { body: file, type: "application/octet-stream" }).then((answer) =>
      this.read<AnnotationSet>("POST", path, answer),
    );
  }

  /** One result file of detector output, matched to the project's recordings by the audio names in it. */
  importDetectorOutput(projectId: string, name: string, file: Blob): Promise<DetectorOutputImport> {
    const path = `/projects/${encodeURIComponent(projectId)}/annotations/import${query({ file: name })}`;
    return this.send("POST", path, { body: file, type: "application/octet-stream" }).then((answer) =>
      this.read<DetectorOutputImport>("POST", path, answer),
    );
  }

  /** The computed values of the boxes whose bounds are current, and the boxes still being measured. */
  getMeasurements(id: string): Promise<MeasurementsAnswer> {
    return this.request("GET", `${recordingPath(id)}/measurements`);
  }

  /** Runs the project's presets (``presets``: these names only) on the recording again; answers the queued state. */
  detectRecording(id: string, presets?: string[]): Promise<{ detection: Detection }> {
    return this.request("POST", `${recordingPath(id)}/detect`, presets ? { presets } : {});
  }

  /** The same on each recording of the project; answers how many were queued. */
  detectProject(id: string, presets?: string[]): Promise<{ recordings: number }> {
    return this.request("POST", `${projectPath(id)}/detect`, presets ? { presets } : {});
  }

  getProject(id: string): Promise<Project> {
    return this.request("GET", projectPath(id));
  }

  /** Replaces the project's detector presets; the server checks them (400 names the preset and field). */
  changeDetectors(id: string, detectors: DetectorPreset[]): Promise<Project> {
    return this.request("PATCH", projectPath(id), { detectors });
  }

  /** Replaces the labels keys 1–9 give a box in the viewer (index 0: key 1; null: none). */
  changeLabelKeys(id: string, labelKeys: (string | null)[]): Promise<Project> {
    return this.request("PATCH", projectPath(id), { label_keys: labelKeys });
  }

  listProjects(cursor?: string): Promise<{ projects: Project[]; next: string | null }> {
    return this.request("GET", `/projects${query({ cursor })}`);
  }

  createProject(name: string): Promise<Project> {
    return this.request("POST", "/projects", { name });
  }

  moveRecording(id: string, projectId: string | null): Promise<Recording> {
    return this.request("PATCH", recordingPath(id), { project_id: projectId });
  }
}

export type ExportFormat = "raven" | "audacity" | "csv" | "json";
/** A downloaded file, under the name to save it as. */
export type DownloadedFile = { filename: string; data: Blob };
export type ImportFormat = ExportFormat | "birdnet";

export type RecordingFilters = {
  project?: string;
  status?: Status;
  q?: string;
  cursor?: string;
  limit?: number;
};

function recordingPath(id: string): string {
  return `/recordings/${encodeURIComponent(id)}`;
}

function projectPath(id: string): string {
  return `/projects/${encodeURIComponent(id)}`;
}

function query(params: Record<string, string | number | undefined>): string {
  const given = Object.entries(params).filter(([, value]) => value !== undefined && value !== "");
  return given.length ? `?${new URLSearchParams(given.map(([k, v]) => [k, String(v)])).toString()}` : "";
}

function attachmentName(answer: Response): string | null {
  const disposition = answer.headers.get("Content-Disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) return decodeURIComponent(encoded[1]);
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? null;
}

function serverSentence(text: string): string | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "error" in parsed && typeof parsed.error === "string") {
      return parsed.error;
    }
  } catch {
    // Not JSON (a proxy's page): the status line says it instead.
  }
  return null;
}

function retryAfterMs(answer: Response): number | null {
  const seconds = Number(answer.headers.get("Retry-After"));
  return answer.headers.has("Retry-After") && Number.isFinite(seconds) ? seconds * 1000 : null;
}
