import type { DownloadedFile } from "../api/client";
import type { PrecisionApi } from "./PrecisionPanel";
import type { Accepted, AcceptRequest, LabelPrecision, PrecisionQuery, PrecisionTable, Undone } from "../api/types";

/** A box as the precision routes see it. */
export interface ScoredBox {
  id: string;
  recording: string;
  label: string;
  confidence: number | null;
  source: string | null;
  review: { state: "accepted" | "rejected"; by: string; at: string } | null;
}

const THRESHOLDS = Array.from({ length: 18 }, (_, i) => Math.round((0.1 + 0.05 * i) * 100) / 100);
const DEFAULT_TARGET = 0.9;

/**
 * For tests: the precision and bulk-accept routes over boxes in memory. Precision here is the
 * plain share of accepted among reviewed boxes, without an interval: the panel only shows what
 * the server computes (chalicelib/precision.py); these tests are about what it does with it.
 * `failNext` makes the next request throw.
 */
export class FakeReviewServer implements PrecisionApi {
  failNext: Error[] = [];
  /** Every request, as "<route> <project>". */
  requests: string[] = [];
  private actions = 0;

  constructor(
    public boxes: ScoredBox[],
    private readonly user = "ann",
  ) {}

  async getPrecision(projectId: string, query: PrecisionQuery = {}): Promise<PrecisionTable> {
    this.answer("precision", projectId);
    const target = query.target ?? DEFAULT_TARGET;
    const chosen = this.boxes.filter((b) => fromSource(b, query.source) && (query.label === undefined || b.label === query.label));
    const labels = [...new Set(chosen.map((b) => b.label))].sort();
    return { target, method: "plain share (fake)", labels: labels.map((label) => tableOf(label, chosen, target)) };
  }

  async precisionCsv(projectId: string, query: PrecisionQuery = {}): Promise<DownloadedFile> {
    const table = await this.getPrecision(projectId, query);
    const lines = table.labels.flatMap((l) => l.rows.map((r) => `${l.label},${r.threshold},${r.precision ?? ""}`));
    return { filename: "precision.csv", data: new Blob([["label,threshold,precision", ...lines].join("\n")]) };
  }

  async acceptAbove(projectId: string, request: AcceptRequest): Promise<Accepted> {
    this.answer("accept", projectId);
    const action = `2026-12-07T15:00:00.${String(++this.actions).padStart(6, "0")}Z`;
    const chosen = this.boxes.filter(
      (b) =>
        b.review === null &&
        b.label === request.label &&
        b.confidence !== null &&
        b.confidence >= request.min_confidence &&
        fromSource(b, request.source),
    );
    for (const b of chosen) b.review = { state: "accepted", by: this.user, at: action };
    return { action, accepted: chosen.length, recordings: new Set(chosen.map((b) => b.recording)).size };
  }

  async undoAccept(projectId: string, action: string): Promise<Undone> {
    this.answer("undo", projectId);
    const chosen = this.boxes.filter((b) => b.review?.state === "accepted" && b.review.by === this.user && b.review.at === action);
    for (const b of chosen) b.review = null;
    return { undone: chosen.length };
  }

  private answer(route: string, projectId: string) {
    this.requests.push(`${route} ${projectId}`);
    const failure = this.failNext.shift();
    if (failure) throw failure;
  }
}

function fromSource(box: ScoredBox, source: string | undefined): boolean {
  if (source === undefined) return true;
  if (source === "people") return box.source === null;
  if (source === "detector") return box.source?.startsWith("detector:") ?? false;
  return box.source === source;
}

function tableOf(label: string, all: ScoredBox[], target: number): LabelPrecision {
  const mine = all.filter((b) => b.label === label);
  const counts = (boxes: ScoredBox[]) => ({
    boxes: boxes.length,
    reviewed: boxes.filter((b) => b.review !== null).length,
    accepted: boxes.filter((b) => b.review?.state === "accepted").length,
    rejected: boxes.filter((b) => b.review?.state === "rejected").length,
  });
  const rows = THRESHOLDS.map((threshold) => {
    const c = counts(mine.filter((b) => b.confidence !== null && b.confidence >= threshold));
    return { threshold, ...c, precision: c.reviewed ? c.accepted / c.reviewed : null, low: null, high: null };
  });
  const reaching = rows.find((r) => r.precision !== null && r.precision >= target);
  return { label, ...counts(mine), threshold: reaching?.threshold ?? null, rows };
}
