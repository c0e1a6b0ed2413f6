import { ConflictError } from "../api/client";
import type { AgreementApi } from "./api";
import { type Choice, defaultChoices, keepAllMatchedAs, consensusRequest } from "./choices";
import type { Agreement, Assignment, Keep } from "../api/types";

/** What the recording page shows of its agreement. */
export type AgreementView =
  /** Not blind double annotated: nothing to show. */
  | { kind: "none" }
  | { kind: "loading" }
  /** Blind, not every assignee done yet: who is where. */
  | { kind: "waiting"; blind: Assignment[] }
  | { kind: "ready"; agreement: Agreement; choices: Choice[] }
  | { kind: "failed"; error: string };

export interface AgreementSnapshot {
  view: AgreementView;
  merging: boolean;
  /** What the last merge did, or why it failed. */
  note: { text: string; error: boolean } | null;
}

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));
const boxes = (n: number) => (n === 1 ? "1 box" : `${n} boxes`);

/**
 * A recording's agreement between its two blind annotators and the consensus being chosen:
 * read once both are done (GET …/assignments, then …/agreement), a choice per pair, and the
 * merge into the final set (POST …/consensus), after which the agreement is read again (its
 * version moved on). `onSetChanged` reloads the page's boxes whenever the set they come from
 * changed: after a merge, and when a read finds the blind annotation over or under way again
 * (the last one done, or one reopened their work): a blind annotator sees their own layer until
 * every one of them is done, then the final set.
 */
export class RecordingAgreementStore {
  private snapshot: AgreementSnapshot = { view: { kind: "loading" }, merging: false, note: null };
  private readonly listeners = new Set<() => void>();
  // Answers to an older read are dropped: a merge's re-read may overtake the first.
  private reads = 0;

  constructor(
    private readonly api: AgreementApi,
    private readonly recordingId: string,
    private readonly onSetChanged: () => void,
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.snapshot;

  /** Reads who is assigned blind and, once every one of them is done, the agreement. */
  load = async (): Promise<void> => {
    const read = ++this.reads;
    const current = () => read === this.reads;
    let blind: Assignment[] = [];
    try {
      blind = (await this.api.getAssignments(this.recordingId)).assignments.filter((a) => a.blind);
      if (!current()) return;
      if (blind.length === 0) return this.publish({ view: { kind: "none" } });
      if (blind.some((a) => a.state !== "done")) return this.show({ kind: "waiting", blind });
      const agreement = await this.api.getAgreement(this.recordingId);
      if (current()) this.show({ kind: "ready", agreement, choices: defaultChoices(agreement.pairs) });
    } catch (failure) {
      if (!current()) return;
      // Someone reopened their assignment between the two reads: not yet, as they say.
      if (failure instanceof ConflictError) this.show({ kind: "waiting", blind });
      else this.publish({ view: { kind: "failed", error: message(failure) } });
    }
  };

  /** Shows a blind annotation's view; the page's boxes are read again if it went from under
   * way to over, or back. */
  private show(view: AgreementView & { kind: "waiting" | "ready" }) {
    const before = this.snapshot.view.kind;
    this.publish({ view });
    if ((before === "waiting" || before === "ready") && before !== view.kind) this.onSetChanged();
  }

  /** Pair `index` keeps `keep`. */
  choose = (index: number, keep: Keep): void => this.changeChoices((choices) => choices.map((c, i) => (i === index ? { ...c, keep } : c)));

  /** Pair `index`'s kept boxes take `label` (empty: their own). */
  relabel = (index: number, relabel: string): void =>
    this.changeChoices((choices) => choices.map((c, i) => (i === index ? { ...c, relabel } : c)));

  /** Every matched pair kept as A (or B) drew it. */
  keepAllMatchedAs = (side: "a" | "b"): void =>
    this.changeChoices((choices, agreement) => keepAllMatchedAs(agreement.pairs, choices, side));

  /** Writes the chosen boxes into the final set; resolves to whether it did. */
  merge = async (): Promise<boolean> => {
    const view = this.snapshot.view;
    if (view.kind !== "ready" || this.snapshot.merging) return false;
    this.publish({ merging: true, note: null });
    try {
      const done = await this.api.mergeConsensus(this.recordingId, consensusRequest(view.agreement.version, view.agreement.pairs, view.choices));
      const text = `Merged ${boxes(done.merged)} into the final set; it now holds ${boxes(done.annotation_count)}.`;
      this.publish({ merging: false, note: { text, error: false } });
      this.onSetChanged();
      await this.load();
      return true;
    } catch (failure) {
      if (failure instanceof ConflictError) {
        const text = `Not merged: ${message(failure)}. The agreement was read again: choose and merge again.`;
        this.publish({ merging: false, note: { text, error: true } });
        await this.load();
      } else this.publish({ merging: false, note: { text: message(failure), error: true } });
      return false;
    }
  };

  private changeChoices(change: (choices: Choice[], agreement: Agreement) => Choice[]) {
    const view = this.snapshot.view;
    if (view.kind !== "ready") return;
    this.publish({ view: { ...view, choices: change(view.choices, view.agreement) } });
  }

  private publish(change: Partial<AgreementSnapshot>) {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}
