/**
 * Review decisions on their way to the server. Each is written to localStorage the moment it
 * is made, so a reload or a closed tab loses none (the next page load sends what is left);
 * they go out in batches (a short wait gathers a few keys' worth) to POST /reviews, one batch
 * at a time so a box's decisions arrive in the order they were made; a failed send is tried
 * again with growing waits until the server answers.
 */
import { ApiError } from "../api/client";
import { backoffDelay } from "../api/backoff";
import type { Decision, DecisionResult, DecisionsAnswer } from "../api/types";

export const OUTBOX_KEY = "sonagram.review.outbox";

/** What of localStorage the outbox uses (tests pass a Map-backed one). */
export interface KeptText {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface OutboxOptions {
  send: (decisions: Decision[]) => Promise<DecisionsAnswer>;
  storage: KeptText;
  /** Whose decisions: each user's are kept apart, so one signing in after another on this
   * browser never sends the other's. */
  reviewer: string;
  /** How long the first decision of a batch waits for others, ms. */
  gatherMs?: number;
  /** A batch this big goes at once (at most the server's MAX_DECISIONS). */
  batchSize?: number;
}

export interface OutboxState {
  /** Decisions not yet acknowledged (waiting or on their way). */
  pending: number;
  /** Decisions the server acknowledged (saved or refused) since the page loaded. */
  saved: number;
  /** Why the last send failed while it is being tried again; null when all goes well. */
  problem: string | null;
}

const GATHER_MS = 250;
const BATCH_SIZE = 20;
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 15_000;

const sameBox = (a: Decision, b: Decision) => a.recording_id === b.recording_id && a.annotation_id === b.annotation_id;
const boxOf = (d: Pick<Decision, "recording_id" | "annotation_id">) => `${d.recording_id}/${d.annotation_id}`;

/** A refusal that sending again cannot change (a bad body, a route that is not there). */
function refusedForGood(failure: unknown): failure is ApiError {
  return failure instanceof ApiError && failure.status >= 400 && failure.status < 500 && ![401, 408, 429].includes(failure.status);
}

export class Outbox {
  private waiting: Decision[];
  private sending: Decision[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private state: OutboxState;
  private readonly listeners = new Set<() => void>();
  private readonly answered = new Set<(result: DecisionResult) => void>();
  /** The last decision on each box since the page loaded (or left by the last load), unless refused. */
  private readonly latest = new Map<string, Decision>();

  constructor(private readonly options: OutboxOptions) {
    this.waiting = readKept(options.storage, options.reviewer);
    for (const decision of this.waiting) this.latest.set(boxOf(decision), decision);
    this.state = { pending: this.waiting.length, saved: 0, problem: null };
    // What an earlier page load left unsent goes now.
    if (this.waiting.length) this.schedule(0);
  }

  /** Keep the decision and send it soon; an unsent earlier decision on the same box gives way. */
  add(decision: Decision): void {
    this.latest.set(boxOf(decision), decision);
    this.waiting = [...this.waiting.filter((d) => !sameBox(d, decision)), decision];
    this.changed();
    if (this.waiting.length >= this.batchSize()) this.schedule(0);
    else this.schedule(this.options.gatherMs ?? GATHER_MS);
  }

  /** Every decision not yet acknowledged, oldest first. */
  unsent(): Decision[] {
    return [...this.sending, ...this.waiting];
  }

  /**
   * The last decision on each box made since the page loaded or left by the last load, sent or
   * not (but not refused): a queue page read while one was on its way may not show it yet.
   */
  decided(): Decision[] {
    return [...this.latest.values()];
  }

  /** Send what waits now (the page is being hidden, say). */
  flush(): void {
    if (this.waiting.length && !this.sending.length) this.schedule(0);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): OutboxState => this.state;

  /** Hear each decision the server answered: saved, or refused and why. */
  onResult(listener: (result: DecisionResult) => void): () => void {
    this.answered.add(listener);
    return () => this.answered.delete(listener);
  }

  private batchSize(): number {
    return this.options.batchSize ?? BATCH_SIZE;
  }

  /** Send in `ms` unless a send is sooner; a batch on its way sends the next when answered. */
  private schedule(ms: number): void {
    if (this.sending.length) return;
    if (this.timer !== undefined && ms > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sendBatch();
    }, ms);
  }

  private async sendBatch(): Promise<void> {
    if (this.sending.length || !this.waiting.length) return;
    this.sending = this.waiting.slice(0, this.batchSize());
    this.waiting = this.waiting.slice(this.sending.length);
    let answer: DecisionsAnswer | undefined;
    let failure: unknown;
    try {
      answer = await this.options.send(this.sending);
    } catch (caught) {
      failure = caught;
    }
    const batch = this.sending;
    this.sending = [];
    if (answer) {
      this.failures = 0;
      this.acknowledge(batch, answer.results);
    } else if (refusedForGood(failure)) {
      this.failures = 0;
      const error = failure.message;
      this.acknowledge(
        batch,
        batch.map((d) => ({ recording_id: d.recording_id, annotation_id: d.annotation_id, ok: false as const, error })),
      );
    } else {
      // Back to the front, behind nothing: a later decision on the same box stays later.
      this.waiting = [...batch.filter((d) => !this.waiting.some((w) => sameBox(w, d))), ...this.waiting];
      this.state = { ...this.state, problem: failure instanceof Error ? failure.message : String(failure) };
      this.changed();
      this.schedule(backoffDelay(this.failures++, RETRY_FIRST_MS, RETRY_MAX_MS));
      return;
    }
    if (this.waiting.length) this.schedule(this.waiting.length >= this.batchSize() ? 0 : (this.options.gatherMs ?? GATHER_MS));
  }

  private acknowledge(batch: Decision[], results: DecisionResult[]): void {
    this.state = { ...this.state, saved: this.state.saved + batch.length, problem: null };
    this.changed();
    for (const result of results) {
      if (!result.ok && this.latest.get(boxOf(result)) && !this.unsent().some((d) => boxOf(d) === boxOf(result))) {
        this.latest.delete(boxOf(result));
      }
      for (const listener of [...this.answered]) listener(result);
    }
  }

  private changed(): void {
    this.options.storage.setItem(keyOf(this.options.reviewer), JSON.stringify(this.unsent()));
    this.state = { ...this.state, pending: this.sending.length + this.waiting.length };
    for (const listener of [...this.listeners]) listener();
  }
}

/** Where a reviewer's unsent decisions are kept. */
export const keyOf = (reviewer: string) => `${OUTBOX_KEY}.${reviewer}`;

function readKept(storage: KeptText, reviewer: string): Decision[] {
  try {
    const kept: unknown = JSON.parse(storage.getItem(keyOf(reviewer)) ?? "[]");
    return Array.isArray(kept) ? kept.filter(isDecision) : [];
  } catch {
    // Not ours, or cut short: nothing to resend.
    return [];
  }
}

function isDecision(raw: unknown): raw is Decision {
  const d = (raw ?? {}) as Record<string, unknown>;
  return (
    typeof d.recording_id === "string" &&
    typeof d.annotation_id === "string" &&
    (d.state === null || d.state === "accepted" || d.state === "rejected") &&
    (d.label === undefined || typeof d.label === "string")
  );
}
