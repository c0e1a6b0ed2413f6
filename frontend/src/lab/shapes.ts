/**
 * The lab's shapes as DESIGN-19 promises them, written here while the server's routes are being
 * written on other branches. At merge the coordinator replaces each with the generated one
 * (src/api/types.ts re-exporting src/api/openapi.ts); nothing else in src/lab/ declares a shape.
 */
import type { Project, Recording, Status } from "../api/types";

/** A member's role in a project: owner manages, annotator draws and reviews, viewer sees. */
export type Role = "owner" | "annotator" | "viewer";

/** GET /projects/{id}/members' member: `name` is how the cloud knows them (null locally). */
export interface Member {
  username: string;
  name: string | null;
  role: Role;
  added_at: string;
  added_by: string;
}

/** GET /projects/{id}/members: owner first then by username, and the caller's own row. */
export interface MembersAnswer {
  members: Member[];
  you: Member;
}

/** A project as GET /projects and GET /projects/{id} answer it now: with the caller's role. */
export type ProjectWithRole = Project & { role: Role };

/** A recording view with who uploaded it and who it is assigned to (sorted, [] when none). */
export type SharedRecording = Recording & { uploaded_by: string; assignees: string[] };

export type AssignmentState = "to_do" | "in_progress" | "done";

/** One recording assigned to one member of its project. */
export interface Assignment {
  recording_id: string;
  project_id: string;
  assignee: string;
  state: AssignmentState;
  blind: boolean;
  assigned_at: string;
  assigned_by: string;
  updated_at: string;
}

/** POST /projects/{id}/assignments' body: 1–100 recordings, 1–2 assignees (blind: exactly 2). */
export interface AssignRequest {
  recording_ids: string[];
  assignees: string[];
  blind: boolean;
}

/** A row of My work: the assignment and what the caller needs to pick a recording. */
export interface WorkItem extends Assignment {
  filename: string;
  duration_s: number | null;
  status: Status | null;
  project_name: string;
  annotation_count: number;
}

/** GET /my-work: newest assignment first, a page at a time. */
export interface WorkPage {
  assignments: WorkItem[];
  next: string | null;
}

/** One member's row of GET /projects/{id}/dashboard. */
export interface MemberProgress {
  username: string;
  name: string | null;
  role: Role;
  assigned: number;
  to_do: number;
  in_progress: number;
  done: number;
  boxes_drawn: number;
  decisions: number;
  audio_hours_done: number;
}

/** GET /projects/{id}/dashboard: per member, per label (most boxes first), recordings in all. */
export interface Dashboard {
  members: MemberProgress[];
  labels: { label: string; boxes: number }[];
  recordings: number;
}
