/** The uploads of this page: each file's state, and which may start now. */
export const MAX_CONCURRENT_UPLOADS = 3;

export type UploadState = "refused" | "waiting" | "uploading" | "done" | "failed" | "cancelled";

export interface UploadItem {
  key: number;
  file: File;
  /** The project chosen when the file was added: it goes there even if the choice changes. */
  projectId: string | null;
  state: UploadState;
  progress: number;
  message: string | null;
  /** The recording of an upload in parts, which Resume goes on with if it fails. */
  inPartsOf?: string;
}

/**
 * The waiting items to start now, oldest first, so that at most `limit` upload at a time
 * (uploads of audio, and of detector output files alike).
 */
export function toStart<Item extends { state: string }>(items: Item[], limit = MAX_CONCURRENT_UPLOADS): Item[] {
  const running = items.filter((i) => i.state === "uploading").length;
  return items.filter((i) => i.state === "waiting").slice(0, Math.max(0, limit - running));
}
