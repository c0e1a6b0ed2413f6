/**
 * A deployment's detector output dropped on a project: which files are sent, their states,
 * and what the whole drop did. Each file is one request (POST /projects/{id}/annotations/import),
 * a few at a time (upload/queue.ts's toStart); the server matches its rows to recordings.
 */
import { ApiError } from "../api/client";
import type { DetectorOutputImport } from "../api/types";

export type ImportState = "skipped" | "waiting" | "uploading" | "imported" | "refused" | "failed";

export interface ResultFile {
  key: number;
  file: File;
  /** The project chosen when the file was added: it goes there even if the choice changes. */
  projectId: string;
  state: ImportState;
  answer: DetectorOutputImport | null;
  /** Why it was skipped, refused (the server's sentence) or failed. */
  reason: string | null;
}

// What BirdNET, Raven, Audacity and Sonagram write their results as.
const RESULT_EXTENSIONS = [".txt", ".csv", ".tsv", ".json"];

/** Why a file of a dropped folder is not sent (an audio file, a hidden file), or null to send it. */
export function notResult(file: { name: string }): string | null {
  if (file.name.startsWith(".")) return `${file.name} is a hidden file`;
  const dot = file.name.lastIndexOf(".");
  const extension = dot > 0 ? file.name.slice(dot).toLowerCase() : "";
  if (!RESULT_EXTENSIONS.includes(extension)) {
    return `${file.name} is not a result file (${RESULT_EXTENSIONS.join(", ")})`;
  }
  return null;
}

/** The files of a drop as they enter the list: each waiting, or skipped with its reason. */
export function resultFiles(files: Iterable<File>, projectId: string, firstKey: number): ResultFile[] {
  return Array.from(files, (file, index): ResultFile => {
    const reason = notResult(file);
    return { key: firstKey + index, file, projectId, state: reason ? "skipped" : "waiting", answer: null, reason };
  });
}

/** A file's state once its request ended: an answer, the API's refusal (4xx), or a failure to retry. */
export function ended(failure: unknown): Pick<ResultFile, "state" | "reason"> {
  const reason = failure instanceof Error ? failure.message : String(failure);
  const refused = failure instanceof ApiError && failure.status >= 400 && failure.status < 500;
  return { state: refused ? "refused" : "failed", reason };
}

export interface DropSummary {
  files: number;
  imported: number;
  refused: number;
  failed: number;
  skipped: number;
  pending: number;
  boxes: number;
  /** Recordings that received boxes, each once, with every box of the drop it received. */
  recordings: { recording_id: string; filename: string; boxes: number }[];
  /** Audio names no recording of the project has, each once, in the order met. */
  unmatched: string[];
}

/** What the drop did so far, over every file. */
export function summarise(items: readonly ResultFile[]): DropSummary {
  const count = (state: ImportState) => items.filter((i) => i.state === state).length;
  const recordings = new Map<string, DropSummary["recordings"][number]>();
  const unmatched = new Set<string>();
  let boxes = 0;
  for (const item of items) {
    if (item.answer === null) continue;
    boxes += item.answer.boxes;
    for (const match of item.answer.matched) {
      const seen = recordings.get(match.recording_id);
      recordings.set(match.recording_id, { ...match, boxes: (seen?.boxes ?? 0) + match.boxes });
    }
    for (const name of item.answer.unmatched) unmatched.add(name);
  }
  return {
    files: items.length,
    imported: count("imported"),
    refused: count("refused"),
    failed: count("failed"),
    skipped: count("skipped"),
    pending: count("waiting") + count("uploading"),
    boxes,
    recordings: [...recordings.values()],
    unmatched: [...unmatched],
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The drop in one sentence: "3 files imported: 7 boxes on 3 recordings. 1 refused." */
export function summaryLine(summary: DropSummary): string {
  const parts = [
    `${plural(summary.imported, "file")} imported: ${plural(summary.boxes, "box", "boxes")} on ${plural(summary.recordings.length, "recording")}.`,
  ];
  if (summary.pending) parts.push(`${summary.pending} still to send.`);
  if (summary.refused) parts.push(`${summary.refused} refused.`);
  if (summary.failed) parts.push(`${summary.failed} failed.`);
  if (summary.skipped) parts.push(`${summary.skipped} skipped.`);
  return parts.join(" ");
}

/** One imported file in words: "dawn.wav: 2 boxes, dusk.wav: 1 box" or that it named no recording. */
export function matchedWords(answer: DetectorOutputImport): string {
  if (answer.matched.length === 0) return "no recording of this project";
  return answer.matched.map((m) => `${m.filename}: ${plural(m.boxes, "box", "boxes")}`).join(", ");
}
