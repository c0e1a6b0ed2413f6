import type { Recording, Status } from "../api/types";

/** A recording as the API lists it, for tests: only what a test names differs. */
export function aRecording(id: string, status: Status, more: Partial<Recording> = {}): Recording {
  return {
    id, filename: `${id}.wav`, size: 1, content_type: "audio/wav", created_at: "", status, error: null,
    updated_at: "2026-12-03T18:00:00.000000Z", duration_s: null, sample_rate: null, channels: null,
    project_id: null, annotation_count: 0, detection: null, uploaded_by: "ana", assignees: [], ...more,
  };
}
