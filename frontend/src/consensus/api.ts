import type { ApiClient } from "../api/client";
import type { Agreement, Assignment, Consensus, Merged, ProjectAgreement } from "../api/types";

/** The routes the agreement region and the project's agreement panel call. */
export interface AgreementApi {
  getAssignments(recordingId: string): Promise<{ assignments: Assignment[] }>;
  /** 409 (ConflictError) until every blind assignee of the recording is done. */
  getAgreement(recordingId: string): Promise<Agreement>;
  getProjectAgreement(projectId: string): Promise<ProjectAgreement>;
  /** Writes the kept boxes into the main set; a stale `version` is a ConflictError. */
  mergeConsensus(recordingId: string, request: Consensus): Promise<Merged>;
}

const recordingPath = (id: string) => `/recordings/${encodeURIComponent(id)}`;

/** The routes over the app's client: its token, retries and error sentences. */
export function agreementApi(client: ApiClient): AgreementApi {
  return {
    getAssignments: (id) => client.request("GET", `${recordingPath(id)}/assignments`),
    getAgreement: (id) => client.request("GET", `${recordingPath(id)}/agreement`),
    getProjectAgreement: (id) => client.request("GET", `/projects/${encodeURIComponent(id)}/agreement`),
    mergeConsensus: (id, request) => client.request("POST", `${recordingPath(id)}/consensus`, request),
  };
}
