/** States of an assignment, and the dashboard's figures, as the pages say them. */
import type { AssignmentState, Dashboard, MemberProgress } from "../api/types";

/** In the order work goes, as the state control and the My work filter offer them. */
export const STATE_WORDS: Record<AssignmentState, string> = { to_do: "To do", in_progress: "In progress", done: "Done" };

export const STATES = Object.keys(STATE_WORDS) as AssignmentState[];

export function isState(text: string | null): text is AssignmentState {
  return text !== null && text in STATE_WORDS;
}

/** Audio hours as a person reads them: minutes under an hour, hours to one decimal above. */
export function hoursText(hours: number): string {
  if (hours <= 0) return "0 min";
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  return `${hours.toFixed(1)} h`;
}

/** "3 of 5 done" or "nothing assigned". */
export function doneText(member: Pick<MemberProgress, "assigned" | "done">): string {
  return member.assigned === 0 ? "nothing assigned" : `${member.done} of ${member.assigned} done`;
}

/** The project's totals over its members, for the dashboard's summary line. */
export function totals(dashboard: Dashboard) {
  const sum = (key: "assigned" | "done" | "boxes_drawn" | "decisions" | "audio_hours_done") =>
    dashboard.members.reduce((total, m) => total + m[key], 0);
  return {
    recordings: dashboard.recordings,
    assigned: sum("assigned"),
    done: sum("done"),
    boxesDrawn: sum("boxes_drawn"),
    decisions: sum("decisions"),
    audioHoursDone: sum("audio_hours_done"),
  };
}

/** Each label's share of the largest count, 0–1, for the bar beside it. */
export function labelShares(labels: Dashboard["labels"]): { label: string; boxes: number; share: number }[] {
  const most = Math.max(0, ...labels.map((l) => l.boxes));
  return labels.map((l) => ({ ...l, share: most === 0 ? 0 : l.boxes / most }));
}
