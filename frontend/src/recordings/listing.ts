import type { RecordingFilters } from "../api/client";
import type { Status } from "../api/types";

/** What the person chose to see: a search, a status, a project (null = all). */
export interface ListingChoice {
  search: string;
  status: Status | null;
  projectId: string | null;
}

export const EVERYTHING: ListingChoice = { search: "", status: null, projectId: null };

/**
 * Where the person is in the list: the cursor of every page they paged through, the
 * shown page's last. The first page has no cursor; Previous goes back one page.
 */
export type Pages = string[];

/** The query of the one GET /recordings that shows (and polls) this page. */
export function pageQuery(choice: ListingChoice, pages: Pages, limit?: number): RecordingFilters {
  const q = choice.search.trim();
  return {
    q: q === "" ? undefined : q,
    status: choice.status ?? undefined,
    project: choice.projectId ?? undefined,
    cursor: pages.at(-1),
    limit,
  };
}

export function nextPage(pages: Pages, next: string): Pages {
  return [...pages, next];
}

export function previousPage(pages: Pages): Pages {
  return pages.slice(0, -1);
}
