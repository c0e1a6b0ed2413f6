/**
 * The lab's routes as its pages call them (docs/api.md): members, assignments, My work, the
 * dashboard. Pages take a LabApi, so tests pass the fake of ./fakeLabServer.ts.
 */
import type { ApiClient } from "../api/client";
import type {
  Assignment,
  AssignmentState,
  AssignRequest,
  Dashboard,
  Member,
  MembersAnswer,
  Project,
  Role,
  WorkPage,
} from "../api/types";

/** What My work asks for: one state (absent: every state), one project, a page. */
export interface WorkQuery {
  state?: AssignmentState;
  project?: string;
  limit?: number;
  cursor?: string;
}

export interface LabApi {
  project(projectId: string): Promise<Project>;
  members(projectId: string): Promise<MembersAnswer>;
  addMember(projectId: string, username: string, role: Role): Promise<Member>;
  /** `owner` hands the project over: the previous owner becomes an annotator. */
  changeRole(projectId: string, username: string, role: Role): Promise<Member>;
  /** Removes a member; the caller's own username leaves the project. */
  removeMember(projectId: string, username: string): Promise<void>;
  assign(projectId: string, request: AssignRequest): Promise<{ assignments: Assignment[] }>;
  assignments(recordingId: string): Promise<{ assignments: Assignment[] }>;
  setState(recordingId: string, assignee: string, state: AssignmentState): Promise<Assignment>;
  myWork(query: WorkQuery): Promise<WorkPage>;
  dashboard(projectId: string): Promise<Dashboard>;
}

const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`;
const memberPath = (projectId: string, username: string) =>
  `${projectPath(projectId)}/members/${encodeURIComponent(username)}`;
const assignmentPath = (recordingId: string, assignee: string) =>
  `/recordings/${encodeURIComponent(recordingId)}/assignments/${encodeURIComponent(assignee)}`;

export function labApi(api: Pick<ApiClient, "request">): LabApi {
  return {
    project: (id) => api.request("GET", projectPath(id)),
    members: (id) => api.request("GET", `${projectPath(id)}/members`),
    addMember: (id, username, role) => api.request("POST", `${projectPath(id)}/members`, { username, role }),
    changeRole: (id, username, role) => api.request("PATCH", memberPath(id, username), { role }),
    removeMember: (id, username) => api.request("DELETE", memberPath(id, username)),
    assign: (id, request) => api.request("POST", `${projectPath(id)}/assignments`, request),
    assignments: (recordingId) => api.request("GET", `/recordings/${encodeURIComponent(recordingId)}/assignments`),
    setState: (recordingId, assignee, state) => api.request("PATCH", assignmentPath(recordingId, assignee), { state }),
    myWork: (query) => api.request("GET", `/my-work${workQueryString(query)}`),
    dashboard: (id) => api.request("GET", `${projectPath(id)}/dashboard`),
  };
}

/** GET /my-work's query string; what is not given is left out (the server's default). */
export function workQueryString(query: WorkQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
