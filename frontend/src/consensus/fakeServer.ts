import { ApiError, ConflictError } from "../api/client";
import type { Annotation } from "../api/types";
import type { AgreementApi } from "./api";
import { keepsOf } from "./choices";
import type { Agreement, Assignment, Consensus, Merged, ProjectAgreement } from "../api/types";

/**
 * For tests: one recording's assignments, agreement and main set in memory, with the rules
 * docs/api.md gives the routes: the agreement answers 409 until every blind assignee is done; a
 * merge with a stale version is a ConflictError, a choice that keeps a box the pair lacks a
 * 400; kept boxes go into the main set (relabelled when a label is given) and bump its version.
 * `failNext` makes the next request throw; `requests` lists them as "<route> <id>".
 */
export class FakeAgreementServer implements AgreementApi {
  failNext: Error[] = [];
  requests: string[] = [];
  main = new Map<string, Annotation>();
  project: ProjectAgreement | null = null;

  constructor(
    public assignments: Assignment[],
    public agreement: Agreement,
  ) {}

  async getAssignments(recordingId: string): Promise<{ assignments: Assignment[] }> {
    this.answer("assignments", recordingId);
    return { assignments: this.assignments.map((a) => ({ ...a })) };
  }

  async getAgreement(recordingId: string): Promise<Agreement> {
    this.answer("agreement", recordingId);
    const blind = this.assignments.filter((a) => a.blind);
    if (blind.length < 2 || blind.some((a) => a.state !== "done")) {
      throw new ConflictError("the agreement is ready once both blind annotators are done");
    }
    return structuredClone(this.agreement);
  }

  async getProjectAgreement(projectId: string): Promise<ProjectAgreement> {
    this.answer("project agreement", projectId);
    if (!this.project) throw new ApiError(404, `no project '${projectId}'`);
    return structuredClone(this.project);
  }

  async mergeConsensus(recordingId: string, request: Consensus): Promise<Merged> {
    this.answer("consensus", recordingId);
    if (request.version !== this.agreement.version) {
      throw new ConflictError(`the final set changed since version ${request.version}`);
    }
    const kept: Annotation[] = [];
    for (const choice of request.choices) {
      const pair = this.agreement.pairs.find((p) => (p.a?.id ?? null) === choice.a && (p.b?.id ?? null) === choice.b);
      if (!pair || !keepsOf(pair).includes(choice.keep)) throw new ApiError(400, `no pair ${choice.a}/${choice.b} to keep ${choice.keep} of`);
      const boxes = { a: [pair.a], b: [pair.b], both: [pair.a, pair.b], none: [] }[choice.keep];
      for (const box of boxes) if (box) kept.push({ ...box, label: choice.label ?? box.label });
    }
    for (const box of kept) this.main.set(box.id, box);
    this.agreement.version += 1;
    return { version: this.agreement.version, annotation_count: this.main.size, merged: kept.length };
  }

  private answer(route: string, id: string) {
    this.requests.push(`${route} ${id}`);
    const failure = this.failNext.shift();
    if (failure) throw failure;
  }
}

/** A blind assignment of `assignee` to recording r1 of project p1. */
export function blindAssignment(assignee: string, state: Assignment["state"], blind = true): Assignment {
  const at = "2026-12-07T10:00:00Z";
  return { recording_id: "r1", project_id: "p1", assignee, state, blind, assigned_at: at, assigned_by: "owner", updated_at: at };
}
