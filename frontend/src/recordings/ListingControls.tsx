import { type FormEvent, useId, useState } from "react";
import type { Project, Status } from "../api/types";
import { ProjectOptions } from "./ProjectOptions";
import { STATUS_WORDS } from "./words";

export const PAGE_SIZES = [10, 25, 50, 100] as const;

/** Search, status, project and page size of the list, and a new project. */
export function ListingControls({
  search,
  onSearch,
  status,
  onStatus,
  projectId,
  onProject,
  projects,
  onNewProject,
  pageSize,
  onPageSize,
}: {
  search: string;
  onSearch: (text: string) => void;
  status: Status | null;
  onStatus: (status: Status | null) => void;
  projectId: string | null;
  onProject: (projectId: string | null) => void;
  projects: Project[];
  onNewProject: (name: string) => Promise<void>;
  pageSize: number;
  onPageSize: (size: number) => void;
}) {
  const [name, setName] = useState("");
  // Labels beside (not around) the selects: a wrapping label adds the chosen option to the name.
  const id = useId();

  async function create(event: FormEvent) {
    event.preventDefault();
    await onNewProject(name.trim());
    setName("");
  }

  return (
    <div className="listing-controls">
      <span className="control">
        <label htmlFor={`${id}-project`}>Project</label>
        <select id={`${id}-project`} value={projectId ?? ""} onChange={(e) => onProject(e.target.value || null)}>
          <ProjectOptions none="All recordings" projects={projects} />
        </select>
      </span>
      <form onSubmit={(e) => void create(e)} className="new-project">
        <label>
          New project
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <button type="submit">Create project</button>
      </form>
      <label>
        Search
        <input type="search" value={search} onChange={(e) => onSearch(e.target.value)} />
      </label>
      <span className="control">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={status ?? ""}
          onChange={(e) => onStatus((e.target.value || null) as Status | null)}
        >
          <option value="">All</option>
          {Object.entries(STATUS_WORDS).map(([value, word]) => (
            <option key={value} value={value}>
              {word}
            </option>
          ))}
        </select>
      </span>
      <span className="control">
        <label htmlFor={`${id}-size`}>Per page</label>
        <select id={`${id}-size`} value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size}>{size}</option>
          ))}
        </select>
      </span>
    </div>
  );
}
