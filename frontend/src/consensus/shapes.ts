/**
 * The agreement and consensus routes' shapes (DESIGN-19), written here while the server's
 * routes are written on other branches. Each interface bears the name of its schema in the
 * API's document (Assignment, AgreementFigures, Agreement, ProjectAgreement, Consensus,
 * Merged): at merge src/api/types.ts names the generated ones so, these interfaces give way
 * to re-exports of them, and the derived types below stay as they are.
 */
import type { Annotation } from "../api/types";

/** One member's assignment to one recording (GET /recordings/{id}/assignments). */
export interface Assignment {
  recording_id: string;
  project_id: string;
  assignee: string;
  /** How far the assignee has got (they set it). */
  state: "to_do" | "in_progress" | "done";
  /** One of a blind pair: each sees only their own boxes until both are done. */
  blind: boolean;
  assigned_at: string;
  assigned_by: string;
  updated_at: string;
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
  /** B − A of the matched pairs' onsets, s: mean, median, mean absolute; null without a matched pair. */
  onset_diff_s: { mean: number | null; median: number | null; mean_abs: number | null };
  offset_diff_s: { mean: number | null; median: number | null; mean_abs: number | null };
}

/** Differences between matched boxes' edges, B − A, in seconds. */
export type Differences = AgreementFigures["onset_diff_s"];

/** GET /recordings/{id}/agreement: 200 once both blind annotators are done, 409 before. */
export interface Agreement {
  /** [A, B]: usernames. */
  annotators: string[];
  figures: AgreementFigures;
  /** Matched pairs by A's onset, then A's boxes B did not match, then B's A did not. */
  pairs: {
    a: Annotation | null;
    b: Annotation | null;
    /** The pair's time-frequency IoU; null for a box on one side only, as are the differences. */
    iou: number | null;
    onset_diff_s: number | null;
    offset_diff_s: number | null;
    same_label: boolean | null;
  }[];
  /** The main set's version, which a consensus merge must name. */
  version: number;
}

/** A matched pair (both boxes) or a box only one annotator drew (the other side null). */
export type AgreementPair = Agreement["pairs"][number];

/** GET /projects/{id}/agreement: pooled over every doubly annotated recording, and per pair of annotators. */
export interface ProjectAgreement {
  recordings: number;
  figures: AgreementFigures;
  annotator_pairs: { annotators: string[]; recordings: number; figures: AgreementFigures }[];
}

/** POST /recordings/{id}/consensus's body: a choice for every pair the agreement lists. */
export interface Consensus {
  version: number;
  /** `label` relabels what is kept (null or absent: as drawn). */
  choices: { a: string | null; b: string | null; keep: "a" | "b" | "both" | "none"; label?: string | null }[];
}

/** Which of a pair's boxes go into the final set. */
export type Keep = Consensus["choices"][number]["keep"];

/** POST /recordings/{id}/consensus's answer: the main set's new version and size, boxes written. */
export interface Merged {
  version: number;
  annotation_count: number;
  merged: number;
}
