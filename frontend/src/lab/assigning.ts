/**
 * Assigning from the listing: the rows chosen, the members picked, blind or not; checked here
 * with the server's limits (docs/api.md) so the dialog says what is wrong before sending.
 */
import type { AssignRequest } from "../api/types";

/** At most this many recordings in one POST /projects/{id}/assignments. */
export const MAX_RECORDINGS = 100;
/** One annotator, or two (blind double annotation needs exactly two). */
export const MAX_ASSIGNEES = 2;

/** Why this request cannot be sent, in the person's words; null when it can. */
export function assignProblem(request: AssignRequest): string | null {
  const n = request.recording_ids.length;
  if (n === 0) return "Choose the recordings to assign first (the boxes at the start of each row).";
  if (n > MAX_RECORDINGS) return `${n} recordings chosen: assign at most ${MAX_RECORDINGS} at once.`;
  if (request.assignees.length === 0) return "Choose who annotates them.";
  if (request.assignees.length > MAX_ASSIGNEES) return `Choose at most ${MAX_ASSIGNEES} members.`;
  if (request.blind && request.assignees.length !== 2) return "Blind double annotation needs exactly two members.";
  return null;
}

/** The member picked or unpicked; picking a third drops the first picked, so two stay. */
export function pick(picked: string[], username: string, on: boolean): string[] {
  const others = picked.filter((u) => u !== username);
  return on ? [...others, username].slice(-MAX_ASSIGNEES) : others;
}

/** The rows chosen in the listing: a row toggled, or every row of the page at once. */
export function toggleRow(chosen: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(chosen);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

/** The "every row" box: checked, unchecked, or "indeterminate" when some rows are. */
export function everyRowState(chosen: ReadonlySet<string>, ids: string[]): boolean | "indeterminate" {
  const count = ids.filter((id) => chosen.has(id)).length;
  return count === 0 ? false : count === ids.length ? true : "indeterminate";
}

/** What the dialog says once the server assigned them. */
export function assignedSentence(recordings: number, assignees: string[], blind: boolean): string {
  const who = assignees.join(" and ");
  const what = `${recordings} recording${recordings === 1 ? "" : "s"}`;
  return blind ? `Assigned ${what} to ${who}, blind: each sees only their own boxes until both are done.` : `Assigned ${what} to ${who}.`;
}
