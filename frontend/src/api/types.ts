/** The API's shapes (CONTRACT.md section 4). */
export type Status = "PENDING" | "PROCESSING" | "COMPLETED" | "FAILED";

export interface Recording {
  id: string;
  filename: string;
  size: number;
  content_type: string;
  created_at: string;
  status: Status;
  error: string | null;
  duration_s: number | null;
  sample_rate: number | null;
  channels: number | null;
  project_id: string | null;
  annotation_count: number;
}

export interface RecordingPage {
  recordings: Recording[];
  next: string | null;
}

/** A presigned POST: every field goes into the form in this order, the file last. */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  expires_at: string;
}

export interface Created {
  recording: Recording;
  upload: PresignedPost;
}
