/** The API's shapes (docs/api.md; /openapi.json states them in full). */
export type Status = "PENDING" | "PROCESSING" | "COMPLETED" | "FAILED";

export interface Recording {
  id: string;
  filename: string;
  size: number;
  content_type: string;
  created_at: string;
  status: Status;
  error: string | null;
  /** When the status last moved (ISO 8601 UTC); null only with a null status. */
  updated_at: string | null;
  duration_s: number | null;
  sample_rate: number | null;
  channels: number | null;
  project_id: string | null;
  annotation_count: number;
}

export interface RecordingPage {
  recordings: Recording[];
  next: string | null;
  /** When the API read the page, by the clock `updated_at` is written with. */
  server_time: string;
}

/** A presigned POST: every field goes into the form in this order, the file last. */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  expires_at: string;
}

/** Presigned PUTs of some parts of an upload in parts, numbered from 1. */
export interface PartUrls {
  parts: { number: number; url: string }[];
  /** ISO 8601 UTC: ask for fresh ones (POST .../upload/parts) before then. */
  expires_at: string;
}

/** A file over the API's threshold goes in parts: `part_size` bytes each, the last shorter. */
export interface PartsPlan extends PartUrls {
  part_size: number;
  part_count: number;
}

/** The parts the bucket holds of an upload in parts (GET .../upload), to resume it. */
export interface UploadProgress {
  part_size: number;
  part_count: number;
  received: { number: number; etag: string; size: number }[];
}

export interface Created {
  recording: Recording;
  upload: PresignedPost | { multipart: PartsPlan };
}

/**
 * One tile of the time-only pyramid: 8-bit dB values, 400 px high (docs/spectrogram.md).
 * Since engine 1.2 a level's tiles are stored back to back in a few objects (one a level
 * in 1.2 and 1.3): the tile is bytes `offset` to `offset + length - 1` of `object`, read
 * from `url` with the header `Range: <range>`.
 * Before, each tile was an object of its own, `key`, read whole from `url`.
 */
export interface Tile {
  level: number;
  index: number;
  key?: string;
  object?: string;
  offset?: number;
  length?: number;
  range?: string;
  url: string;
  start_s: number;
  end_s: number;
  px_per_s: number;
  width: number;
  height: number;
}

export interface TileLevel {
  level: number;
  px_per_s: number;
  width: number;
  tiles: number;
  start_s: number;
  end_s: number;
  /** Since engine 1.4: the level's objects, in order; their total size in bytes. */
  objects?: string[];
  bytes?: number;
  /** Engines 1.2 and 1.3: the level's one object. */
  object?: string;
}

/** GET /recordings/{id}/spectrogram once COMPLETED: what was rendered, with presigned URLs. */
export interface Manifest {
  engine_version: string;
  sample_rate: number;
  channels: number;
  duration_s: number;
  n_fft: number;
  hop_length: number;
  f_max_hz: number;
  width: number;
  height: number;
  px_per_s: number;
  db_range: { max_db: number; floor_db: number; tile_db_at_0: number; tile_db_step: number };
  overview: { key: string; width: number; height: number; px_per_s: number };
  image_url: string;
  tile_levels: TileLevel[];
  tiles: Tile[];
  /** Presigned GET of the audio, for an `<audio>` element (which cannot send a token). */
  audio_url: string;
  /** ISO 8601 UTC: when the first of these presigned URLs expires. */
  urls_expire_at: string;
}

/** A box in seconds and hertz (never pixels); low_hz/high_hz null = the whole band. */
export interface Annotation {
  id: string;
  start_s: number;
  end_s: number;
  low_hz: number | null;
  high_hz: number | null;
  label: string;
  confidence: number | null;
  notes: string | null;
  measurements: Record<string, number>;
  attributes: Record<string, string>;
  channel: number;
}

export interface AnnotationSet {
  annotations: Annotation[];
  version: number;
}

/** PATCH's answer: the new version and what it applied. */
export interface AnnotationChanges {
  version: number;
  annotation_count: number;
  upserted: Annotation[];
  deleted: string[];
}

/** Spectrogram settings a project gives its recordings (null = the engine's default). */
export interface Presets {
  f_max_hz: number | null;
  n_fft: number | null;
  hop_length: number | null;
}

export interface Project {
  id: string;
  name: string;
  created_at: string;
  presets: Presets;
  recording_count: number;
}
