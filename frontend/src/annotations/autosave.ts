import { backoffDelay } from "../api/backoff";
import { type ApiClient, ApiError, ConflictError } from "../api/client";
import type { Annotation, AnnotationSet } from "../api/types";
import { sameBox } from "./box";
import type { Edit } from "./history";

export type SaveState =
  | { kind: "saved" }
  | { kind: "unsaved" }
  | { kind: "saving" }
  /** Someone else saved first: nothing is sent until the user chooses whose boxes win. */
  | { kind: "conflict" }
  /** `retrying`: the API was out of reach and the same changes will be sent again. */
  | { kind: "failed"; sentence: string; retrying: boolean };

export function statusText(state: SaveState): string {
  switch (state.kind) {
    case "saved":
      return "Saved";
    case "unsaved":
      return "Unsaved changes";
    case "saving":
      return "Saving…";
    case "conflict":
      return "Conflict";
    case "failed":
      return `Not saved: ${state.sentence}`;
  }
}

export type AnnotationApi = Pick<ApiClient, "getAnnotations" | "changeAnnotations">;

export interface AutosaveOptions {
  api: AnnotationApi;
  recordingId: string;
  /** The set as loaded: what the server has, at its version. */
  loaded: AnnotationSet;
  onState: (state: SaveState) => void;
  /** The boxes a save upserted as the server stored them: signed by whoever saved them. */
  onSigned?: (boxes: readonly Annotation[]) => void;
  delayMs?: number;
}

const DELAY_MS = 500;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * Sends the boxes' changes with PATCH, only what differs from the server's version: after a
 * pause in editing, or at once by `flush()` (the page being hidden). One request at a time;
 * edits made meanwhile go in the next. A stale version never overwrites: it stops saving in
 * the "conflict" state until `loadTheirs()` or `keepMine()`.
 */
export class Autosave {
  private readonly api: AnnotationApi;
  private readonly recordingId: string;
  private readonly onState: (state: SaveState) => void;
  private readonly onSigned: (boxes: readonly Annotation[]) => void;
  private readonly delayMs: number;
  /** The server's boxes at `version`, as far as we know. */
  private saved = new Map<string, Annotation>();
  private version = 0;
  /** Each box touched since it was last saved: its newest value, null once deleted. */
  private readonly pending = new Map<string, Annotation | null>();
  private state: SaveState = { kind: "saved" };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;

  constructor(options: AutosaveOptions) {
    this.api = options.api;
    this.recordingId = options.recordingId;
    this.onState = options.onState;
    this.onSigned = options.onSigned ?? (() => {});
    this.delayMs = options.delayMs ?? DELAY_MS;
    this.rebase(options.loaded);
  }

  get current(): SaveState {
    return this.state;
  }

  /** Boxes changed in the page; they are sent after a pause. */
  record(edits: readonly Edit[]): void {
    for (const { id, after } of edits) this.pending.set(id, after);
    if (this.state.kind === "conflict" || this.running) return;
    this.setState({ kind: "unsaved" });
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** What a PATCH would send now. */
  changes(): { upsert: Annotation[]; delete: string[] } {
    const upsert: Annotation[] = [];
    const deleted: string[] = [];
    for (const [id, box] of this.pending) {
      const was = this.saved.get(id);
      // Added and deleted before it was saved: the server never needs to hear of it.
      if (box === null) {
        if (was) deleted.push(id);
      } else if (!was || !sameBox(was, box)) upsert.push(box);
    }
    return { upsert, delete: deleted };
  }

  /** Sends now; resolves once everything is saved, or saving stopped (conflict, refused). */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.running ??= this.send().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Conflict answer one: drop my unsaved changes; the boxes to show are theirs. */
  async loadTheirs(): Promise<Annotation[]> {
    const theirs = await this.api.getAnnotations(this.recordingId);
    this.reset(theirs);
    return theirs.annotations;
  }

  /** Conflict answer two: my changes again on top of their version, saved at once; the boxes to show. */
  async keepMine(): Promise<Annotation[]> {
    const theirs = await this.api.getAnnotations(this.recordingId);
    this.rebase(theirs);
    const merged = new Map(this.saved);
    for (const [id, box] of this.pending) {
      if (box) merged.set(id, box);
      else merged.delete(id);
    }
    this.setState({ kind: "unsaved" });
    void this.flush();
    return [...merged.values()];
  }

  /** Whether the box has changes not saved yet. */
  isUnsaved(id: string): boolean {
    return this.pending.has(id);
  }

  /** The server's own values of a saved box (its computed measurements): nothing to send. */
  measured(box: Annotation): void {
    if (this.saved.has(box.id)) this.saved.set(box.id, box);
  }

  /** The server's set replaced ours (an import): nothing of ours is pending any more. */
  reset(set: AnnotationSet): void {
    this.pending.clear();
    this.rebase(set);
    this.setState({ kind: "saved" });
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
  }

  private rebase(set: AnnotationSet): void {
    this.saved = new Map(set.annotations.map((box) => [box.id, box]));
    this.version = set.version;
  }

  private setState(state: SaveState): void {
    this.state = state;
    this.onState(state);
  }

  private async send(): Promise<void> {
    let failures = 0;
    // A request that never answered may still have been applied: a 409 after it is checked.
    let uncertain = false;
    while (this.state.kind !== "conflict") {
      const sent = new Map(this.pending);
      const changes = this.changes();
      if (changes.upsert.length === 0 && changes.delete.length === 0) {
        this.pending.clear();
        this.setState({ kind: "saved" });
        return;
      }
      this.setState({ kind: "saving" });
      try {
        const answer = await this.api.changeAnnotations(this.recordingId, { version: this.version, ...changes });
        this.accept(answer.version, changes, sent);
        this.onSigned(answer.upserted);
        failures = 0;
        uncertain = false;
      } catch (error) {
        if (error instanceof ConflictError) {
          if (uncertain && (await this.landed(changes, sent))) continue;
          this.setState({ kind: "conflict" });
          return;
        }
        if (!(error instanceof ApiError)) throw error;
        if (error.status !== 0 && error.status < 500) {
          this.setState({ kind: "failed", sentence: error.message, retrying: false });
          return;
        }
        uncertain = true;
        this.setState({ kind: "failed", sentence: "the API did not answer; trying again", retrying: true });
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(failures++, RETRY_FIRST_MS, RETRY_MAX_MS)));
      }
    }
  }

  private accept(version: number, changes: { upsert: Annotation[]; delete: string[] }, sent: Map<string, Annotation | null>) {
    this.version = version;
    for (const box of changes.upsert) this.saved.set(box.id, box);
    for (const id of changes.delete) this.saved.delete(id);
    // Boxes edited again while the request was out stay pending with their newer value.
    for (const [id, box] of sent) if (this.pending.get(id) === box) this.pending.delete(id);
  }

  /** Whether the server's version is exactly ours plus the changes we sent (our own lost answer). */
  private async landed(
    changes: { upsert: Annotation[]; delete: string[] },
    sent: Map<string, Annotation | null>,
  ): Promise<boolean> {
    const theirs = await this.api.getAnnotations(this.recordingId);
    const now = new Map(theirs.annotations.map((box) => [box.id, box]));
    const ours =
      theirs.version === this.version + 1 &&
      changes.upsert.every((box) => {
        const there = now.get(box.id);
        return there !== undefined && sameBox(there, box);
      }) &&
      changes.delete.every((id) => !now.has(id));
    if (ours) this.accept(theirs.version, changes, sent);
    return ours;
  }
}
