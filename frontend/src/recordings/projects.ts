import type { ApiClient } from "../api/client";
import type { Project } from "../api/types";

/** Every project of the user (the API pages them), oldest first as a menu reads best. */
export async function everyProject(api: Pick<ApiClient, "listProjects">): Promise<Project[]> {
  const all: Project[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listProjects(cursor);
    all.push(...page.projects);
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
  return all.reverse();
}
