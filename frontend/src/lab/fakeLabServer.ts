import { ApiError } from "../api/client";
import type { LabApi, WorkQuery } from "./labApi";
import { canAnnotate, canManage } from "./memberRoles";
import type { Assignment, AssignRequest, Dashboard, Member, Project, Role, WorkItem } from "../api/types";

const NOW = "2026-12-07T18:00:00.000000Z";
const NEED_WORDS = { annotate: "annotator or owner", manage: "owner" } as const;

/** A recording as the fake keeps it: enough for My work and the dashboard. */
export interface FakeRecording {
  id: string;
  project_id: string;
  filename: string;
  duration_s: number;
}

/**
 * For tests: the lab's routes over projects in memory, with the server's rules of docs/lab.md (not a member:
 * 404 as a missing id; a role without the right: 403 naming the role; owner = hand-over; the
 * owner cannot leave; blind needs two; assignees annotate). `as(user)` is who calls next;
 * `requests` records each call as "<METHOD> <route>".
 */
export class FakeLabServer implements LabApi {
  user: string;
  memberLists = new Map<string, Member[]>();
  names = new Map<string, string>();
  recordings: FakeRecording[] = [];
  assignmentRows: Assignment[] = [];
  requests: string[] = [];
  private clock = 0;

  constructor(owner: string, projects: Record<string, string> = { p1: "Dawn chorus" }) {
    this.user = owner;
    for (const [id, name] of Object.entries(projects)) {
      this.names.set(id, name);
      this.memberLists.set(id, [member(owner, "owner", owner)]);
    }
  }

  as(user: string): this {
    this.user = user;
    return this;
  }

  async project(projectId: string): Promise<Project> {
    this.requests.push(`GET project ${projectId}`);
    const role = this.roleIn(projectId);
    return {
      id: projectId,
      name: this.names.get(projectId) ?? projectId,
      created_at: NOW,
      presets: { f_max_hz: null, n_fft: null, hop_length: null },
      detectors: [],
      label_keys: [],
      recording_count: this.recordings.filter((r) => r.project_id === projectId).length,
      role,
    };
  }

  async members(projectId: string) {
    this.requests.push(`GET members ${projectId}`);
    this.roleIn(projectId);
    const all = this.sorted(projectId);
    return { members: all, you: all.find((m) => m.username === this.user)! };
  }

  async addMember(projectId: string, username: string, role: Role): Promise<Member> {
    this.requests.push(`POST members ${projectId}`);
    this.need(projectId, "manage", "adding members");
    const all = this.memberLists.get(projectId)!;
    if (all.some((m) => m.username === username)) throw new ApiError(409, `${username} is already a member of this project`);
    const added = member(username, role === "owner" ? "annotator" : role, this.user);
    all.push(added);
    return role === "owner" ? this.handOver(projectId, added) : added;
  }

  async changeRole(projectId: string, username: string, role: Role): Promise<Member> {
    this.requests.push(`PATCH member ${projectId} ${username}`);
    this.need(projectId, "manage", "changing roles");
    const found = this.find(projectId, username);
    if (role === "owner") return this.handOver(projectId, found);
    if (found.role === "owner") throw new ApiError(409, "the project needs an owner: make another member the owner first");
    found.role = role;
    return found;
  }

  async removeMember(projectId: string, username: string): Promise<void> {
    this.requests.push(`DELETE member ${projectId} ${username}`);
    const role = this.roleIn(projectId);
    if (username !== this.user) this.need(projectId, "manage", "removing members");
    else if (role === "owner") throw new ApiError(409, "the owner cannot leave: make another member the owner first");
    this.find(projectId, username);
    this.memberLists.set(projectId, this.memberLists.get(projectId)!.filter((m) => m.username !== username));
  }

  async assign(projectId: string, request: AssignRequest) {
    this.requests.push(`POST assignments ${projectId}`);
    this.need(projectId, "manage", "assigning recordings");
    if (request.blind && request.assignees.length !== 2) throw new ApiError(400, "blind double annotation needs exactly two assignees");
    for (const username of request.assignees) {
      const m = this.memberLists.get(projectId)!.find((x) => x.username === username);
      if (!m || !canAnnotate(m.role)) throw new ApiError(400, `${username} is not an annotator or owner of this project`);
    }
    const made: Assignment[] = [];
    for (const recordingId of request.recording_ids) {
      for (const assignee of request.assignees) {
        let row = this.assignmentRows.find((a) => a.recording_id === recordingId && a.assignee === assignee);
        if (!row) {
          const at = this.tick();
          row = { recording_id: recordingId, project_id: projectId, assignee, state: "to_do", blind: request.blind, assigned_at: at, assigned_by: this.user, updated_at: at };
          this.assignmentRows.push(row);
        }
        made.push(row);
      }
    }
    return { assignments: made };
  }

  async assignments(recordingId: string) {
    this.requests.push(`GET assignments ${recordingId}`);
    this.roleIn(this.recording(recordingId).project_id);
    return { assignments: this.assignmentRows.filter((a) => a.recording_id === recordingId) };
  }

  async setState(recordingId: string, assignee: string, state: Assignment["state"]): Promise<Assignment> {
    this.requests.push(`PATCH assignment ${recordingId} ${assignee}`);
    const projectId = this.recording(recordingId).project_id;
    this.need(projectId, assignee === this.user ? "annotate" : "manage", "setting the state of someone else's work");
    const row = this.assignmentRows.find((a) => a.recording_id === recordingId && a.assignee === assignee);
    if (!row) throw new ApiError(404, `${assignee} has no assignment on ${recordingId}`);
    row.state = state;
    row.updated_at = this.tick();
    return row;
  }

  async myWork(query: WorkQuery) {
    this.requests.push(`GET my-work${query.state ? ` ${query.state}` : ""}`);
    const mine = this.assignmentRows
      .filter((a) => a.assignee === this.user && this.memberLists.get(a.project_id)?.some((m) => m.username === this.user))
      .filter((a) => (query.state === undefined || a.state === query.state) && (query.project === undefined || a.project_id === query.project))
      .sort((a, b) => b.assigned_at.localeCompare(a.assigned_at));
    const start = Number(query.cursor ?? 0);
    const limit = query.limit ?? 50;
    const page = mine.slice(start, start + limit).map((a): WorkItem => {
      const r = this.recording(a.recording_id);
      return { ...a, filename: r.filename, duration_s: r.duration_s, status: "COMPLETED", project_name: this.names.get(a.project_id)!, annotation_count: 0 };
    });
    return { assignments: page, next: start + limit < mine.length ? String(start + limit) : null };
  }

  async dashboard(projectId: string): Promise<Dashboard> {
    this.requests.push(`GET dashboard ${projectId}`);
    this.roleIn(projectId);
    const rows = this.assignmentRows.filter((a) => a.project_id === projectId);
    const members = this.sorted(projectId).map((m) => {
      const theirs = rows.filter((a) => a.assignee === m.username);
      const count = (state: Assignment["state"]) => theirs.filter((a) => a.state === state).length;
      const doneS = theirs.filter((a) => a.state === "done").reduce((s, a) => s + this.recording(a.recording_id).duration_s, 0);
      return { username: m.username, name: m.name, role: m.role, assigned: theirs.length, to_do: count("to_do"), in_progress: count("in_progress"), done: count("done"), boxes_drawn: 0, decisions: 0, audio_hours_done: doneS / 3600 };
    });
    return { members, labels: [], recordings: this.recordings.filter((r) => r.project_id === projectId).length };
  }

  private roleIn(projectId: string): Role {
    const m = this.memberLists.get(projectId)?.find((x) => x.username === this.user);
    if (!m) throw new ApiError(404, `no project '${projectId}'`);
    return m.role;
  }

  private need(projectId: string, need: "annotate" | "manage", action: string) {
    const role = this.roleIn(projectId);
    const allowed = need === "manage" ? canManage(role) : canAnnotate(role);
    if (!allowed) throw new ApiError(403, `your role in this project is ${role}: ${action} needs ${NEED_WORDS[need]}`);
  }

  private find(projectId: string, username: string): Member {
    const found = this.memberLists.get(projectId)!.find((m) => m.username === username);
    if (!found) throw new ApiError(404, `${username} is no member of this project`);
    return found;
  }

  private handOver(projectId: string, next: Member): Member {
    for (const m of this.memberLists.get(projectId)!) if (m.role === "owner") m.role = "annotator";
    next.role = "owner";
    return next;
  }

  private recording(id: string): FakeRecording {
    const found = this.recordings.find((r) => r.id === id);
    if (!found) throw new ApiError(404, `no recording '${id}'`);
    return found;
  }

  private sorted(projectId: string): Member[] {
    return [...this.memberLists.get(projectId)!].sort(
      (a, b) => Number(b.role === "owner") - Number(a.role === "owner") || a.username.localeCompare(b.username),
    );
  }

  private tick(): string {
    this.clock += 1;
    return `2026-12-07T18:00:${String(this.clock).padStart(2, "0")}.000000Z`;
  }
}

function member(username: string, role: Role, by: string): Member {
  return { username, name: null, role, added_at: NOW, added_by: by };
}
