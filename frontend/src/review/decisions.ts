/**
 * Decisions as the page shows them before the server has them: each decided box's state and
 * label at once (optimistic), the steps Ctrl+Z takes back, and the progress they make. Pure:
 * the page keeps the returned values and hands the decisions to the outbox.
 */
import type { Decision, ReviewItem, ReviewState } from "../api/types";

/** A box's state and label as decided here. */
export interface Verdict {
  state: ReviewState | null;
  label: string;
}

/** What the page knows of a box beyond the server's answer: the local verdict, a refusal. */
export interface Local {
  verdict: Verdict;
  /** The box's state as the queue answered it, before any decision here. */
  served: ReviewState | null;
  /** The server refused the last decision (the box was deleted or changed), in its words. */
  error?: string;
}

export type Locals = ReadonlyMap<string, Local>;

/** One decision Ctrl+Z can take back. */
export interface Step {
  key: string;
  item: Pick<ReviewItem, "recording_id" | "annotation_id">;
  before: Verdict;
  after: Verdict;
}

export type Choice = { kind: "accept" } | { kind: "reject" } | { kind: "relabel"; label: string };

export const boxKey = (item: Pick<ReviewItem, "recording_id" | "annotation_id">): string =>
  `${item.recording_id}/${item.annotation_id}`;

/** The box as shown now: its local verdict if there is one, else the server's. */
export function shownVerdict(item: ReviewItem, locals: Locals): Verdict {
  return locals.get(boxKey(item))?.verdict ?? { state: item.review?.state ?? null, label: item.label };
}

/** What a choice makes of the box. A relabel accepts the box under its new label: the call is real, the label was not. */
export function verdictOf(choice: Choice, before: Verdict): Verdict {
  if (choice.kind === "relabel") return { state: "accepted", label: choice.label };
  return { state: choice.kind === "accept" ? "accepted" : "rejected", label: before.label };
}

/** The request that turns the box from `before` into `after`; the label only when it changes. */
export function decisionFor(item: Step["item"], before: Verdict, after: Verdict): Decision {
  const decision: Decision = { recording_id: item.recording_id, annotation_id: item.annotation_id, state: after.state };
  if (after.label !== before.label) decision.label = after.label;
  return decision;
}

/** Keep `verdict` on the item (clearing an earlier refusal). */
export function withVerdict(locals: Locals, item: ReviewItem, verdict: Verdict): Map<string, Local> {
  const key = boxKey(item);
  const served = locals.get(key)?.served ?? item.review?.state ?? null;
  return new Map(locals).set(key, { verdict, served });
}

/** Decide on an item: the new locals, the step to undo, the request to send. */
export function decide(locals: Locals, item: ReviewItem, choice: Choice): { locals: Map<string, Local>; step: Step; decision: Decision } {
  const before = shownVerdict(item, locals);
  const after = verdictOf(choice, before);
  const step = { key: boxKey(item), item: { recording_id: item.recording_id, annotation_id: item.annotation_id }, before, after };
  return { locals: withVerdict(locals, item, after), step, decision: decisionFor(step.item, before, after) };
}

/** Take the step back: the box as it was before it, and the request that says so. */
export function undo(locals: Locals, step: Step): { locals: Map<string, Local>; decision: Decision } {
  const local = locals.get(step.key);
  const next = new Map(locals);
  if (local) next.set(step.key, { verdict: step.before, served: local.served });
  return { locals: next, decision: decisionFor(step.item, step.after, step.before) };
}

/** The server refused a decision: shown on its clip. */
export function refused(locals: Locals, key: string, error: string): Map<string, Local> {
  const local = locals.get(key);
  return local ? new Map(locals).set(key, { ...local, error }) : new Map(locals);
}

/**
 * Decisions the queue's answer may not show yet (left unsent by an earlier page load, or on
 * their way when the page was read), laid on the boxes they are about as the queue brings them.
 */
export function withDecided(locals: Locals, items: readonly ReviewItem[], decided: readonly Decision[]): Map<string, Local> {
  let next = new Map(locals);
  for (const item of items) {
    if (next.has(boxKey(item))) continue;
    const decision = decided.filter((d) => d.recording_id === item.recording_id && d.annotation_id === item.annotation_id).at(-1);
    if (decision) next = withVerdict(next, item, { state: decision.state, label: decision.label ?? item.label });
  }
  return next;
}

/**
 * Boxes reviewed of the filter now: the queue's count when it was read, moved by each box
 * decided (or undone) here since.
 */
export function reviewedNow(counted: number, locals: Locals): number {
  let reviewed = counted;
  for (const local of locals.values()) reviewed += Number(local.verdict.state !== null) - Number(local.served !== null);
  return reviewed;
}
