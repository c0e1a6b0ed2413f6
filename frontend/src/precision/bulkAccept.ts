import type { ApiClient } from "../api/client";
import { thresholdText } from "./chart";
import type { AcceptOffer } from "./table";

export type BulkAcceptApi = Pick<ApiClient, "acceptAbove" | "undoAccept">;

/** The last bulk accept, which Undo takes back. */
export interface LastAccept extends AcceptOffer {
  action: string;
  accepted: number;
}

export interface BulkAcceptState {
  last: LastAccept | null;
  busy: boolean;
  /** What the last accept or undo did, or why it failed. */
  note: { text: string; error: boolean } | null;
}

const IDLE: BulkAcceptState = { last: null, busy: false, note: null };

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/**
 * A project's "accept every unreviewed box of this label at or above its threshold" and the
 * undo of the last one (POST …/reviews/accept and …/accept/undo). One at a time; each resolves
 * to whether the boxes changed, so the panel knows to read the table again.
 */
export class BulkAccept {
  private state = IDLE;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly api: BulkAcceptApi,
    private readonly projectId: string,
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.state;

  /** Accepts the offer's boxes (of `source` only, when given); the undo then takes these back. */
  accept = async (offer: AcceptOffer, source?: string): Promise<boolean> => {
    if (this.state.busy) return false;
    this.publish({ busy: true, note: null });
    try {
      const done = await this.api.acceptAbove(this.projectId, {
        label: offer.label,
        min_confidence: offer.threshold,
        ...(source === undefined ? {} : { source }),
      });
      const text = `Accepted ${boxes(done.accepted)} of ${offer.label} at ≥ ${thresholdText(offer.threshold)} in ${plural(done.recordings, "recording")}.`;
      this.publish({ busy: false, last: { ...offer, action: done.action, accepted: done.accepted }, note: { text, error: false } });
      return true;
    } catch (failure) {
      this.publish({ busy: false, note: { text: message(failure), error: true } });
      return false;
    }
  };

  /** Makes the last accept's boxes unreviewed again; those decided since stay as decided. */
  undo = async (): Promise<boolean> => {
    const last = this.state.last;
    if (!last || this.state.busy) return false;
    this.publish({ busy: true, note: null });
    try {
      const { undone } = await this.api.undoAccept(this.projectId, last.action);
      const since = last.accepted - undone;
      const text =
        `Undone: ${boxes(undone)} of ${last.label} unreviewed again` +
        (since > 0 ? `; ${since} decided since then stay as decided.` : ".");
      this.publish({ busy: false, last: null, note: { text, error: false } });
      return true;
    } catch (failure) {
      // The action is kept: Undo can be tried again.
      this.publish({ busy: false, note: { text: message(failure), error: true } });
      return false;
    }
  };

  private publish(change: Partial<BulkAcceptState>) {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const boxes = (n: number) => (n === 1 ? "1 box" : `${n} boxes`);
