/**
 * The agreement and consensus routes' shapes (DESIGN-19), written here while the server's
 * routes are written on another branch. At merge each becomes the generated shape of the same
 * name in src/api/types.ts, and this file goes.
 */
import type { Annotation } from "../api/types";

/** How far an assignee has got with a recording (set by the assignee). */
export type AssignmentState = "to_do" | "in_progress" | "done";

/** One member's assignment to one recording (GET /recordings/{id}/assignments). */
export interface Assignment {
  recording_id: string;
  project_id: string;
  assignee: string;
  state: AssignmentState;
  /** One of a blind pair: each sees only their own boxes until both are done. */
  blind: boolean;
  assigned_at: string;
  assigned_by: string;
  updated_at: string;
}

/** Differences between matched boxes' edges, B − A, in seconds; null without a matched pair. */
export interface Differences {
  mean: number | null;
  median: number | null;
  mean_abs: number | null;
}

/** Agreement between two sets of boxes, A's and B's (chalicelib/agreement.py). */
export interface AgreementFigures {
  boxes: { a: number; b: number };
  /** Pairs matched one to one (time-frequency IoU ≥ 0.5). */
  matched: number;
  /** The share of A's boxes B matched, and of B's A matched, 0–1; null when that side drew none. */
  match_rate: { a: number | null; b: number | null };
  /** The share of matched pairs with the same label; null without matched pairs. */
  label_agreement: number | null;
  /** Cohen's kappa over the matched pairs' labels; null when undefined, `kappa_undefined` saying why. */
  kappa: number | null;
  kappa_undefined: string | null;
  onset_diff_s: Differences;
  offset_diff_s: Differences;
}

/** A matched pair (both boxes) or a box only one annotator drew (the other side null). */
export interface AgreementPair {
  a: Annotation | null;
  b: Annotation | null;
  /** The pair's time-frequency IoU; null for a box on one side only, as are the differences. */
  iou: number | null;
  onset_diff_s: number | null;
  offset_diff_s: number | null;
  same_label: boolean | null;
}

/** GET /recordings/{id}/agreement: 200 once both blind annotators are done, 409 before. */
export interface RecordingAgreement {
  /** [A, B]: usernames. */
  annotators: [string, string];
  figures: AgreementFigures;
  pairs: AgreementPair[];
  /** The main set's version, which a consensus merge must name. */
  version: number;
}

/** One pair of annotators over the recordings they both annotated blind. */
export interface AnnotatorPairAgreement {
  annotators: [string, string];
  recordings: number;
  figures: AgreementFigures;
}

/** GET /projects/{id}/agreement: pooled over every doubly annotated recording, and per pair. */
export interface ProjectAgreement {
  recordings: number;
  figures: AgreementFigures;
  annotator_pairs: AnnotatorPairAgreement[];
}

/** Which of a pair's boxes go into the final set. */
export type Keep = "a" | "b" | "both" | "none";

/** One pair's choice; `label` relabels what is kept (null or absent: as drawn). */
export interface ConsensusChoice {
  a: string | null;
  b: string | null;
  keep: Keep;
  label?: string | null;
}

/** POST /recordings/{id}/consensus's body. */
export interface ConsensusRequest {
  version: number;
  choices: ConsensusChoice[];
}

/** POST /recordings/{id}/consensus's answer: the main set's new version and size, boxes written. */
export interface Merged {
  version: number;
  annotation_count: number;
  merged: number;
}
