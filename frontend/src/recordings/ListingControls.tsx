import { Button, Select, TextField } from "@radix-ui/themes";
import { Search } from "lucide-react";
import { type FormEvent, useId, useState } from "react";
import type { Project, Status } from "../api/types";
import { NO_PROJECT, ProjectOptions } from "./ProjectOptions";
import { STATUS_WORDS } from "./words";

export const PAGE_SIZES = [10, 25, 50, 100] as const;
// The status Select's first item (a Radix item's value is never "").
const ANY_STATUS = "all";

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
  // Labels beside (not around) the selects: a wrapping label adds the chosen item to the name.
  const id = useId();

  async function create(event: FormEvent) {
    event.preventDefault();
    await onNewProject(name.trim());
    setName("");
  }

  return (
    <div className="listing-controls">
      <span className="field-label">
        <label htmlFor={`${id}-project`}>Project</label>
        <Select.Root size="1" value={projectId ?? NO_PROJECT} onValueChange={(v) => onProject(v === NO_PROJECT ? null : v)}>
          <Select.Trigger id={`${id}-project`} />
          <Select.Content>
            <ProjectOptions none="All recordings" projects={projects} />
          </Select.Content>
        </Select.Root>
      </span>
      <form onSubmit={(e) => void create(e)} className="new-project">
        <label className="field-label">
          New project
          <TextField.Root size="1" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <Button size="1" type="submit" variant="soft">
          Create project
        </Button>
      </form>
      <label className="field-label">
        Search
        <TextField.Root size="1" type="search" value={search} onChange={(e) => onSearch(e.target.value)}>
          <TextField.Slot>
            <Search size={13} aria-hidden="true" />
          </TextField.Slot>
        </TextField.Root>
      </label>
      <span className="field-label">
        <label htmlFor={`${id}-status`}>Status</label>
        <Select.Root
          size="1"
          value={status ?? ANY_STATUS}
          onValueChange={(v) => onStatus(v === ANY_STATUS ? null : (v as Status))}
        >
          <Select.Trigger id={`${id}-status`} />
          <Select.Content>
            <Select.Item value={ANY_STATUS}>All</Select.Item>
            {Object.entries(STATUS_WORDS).map(([value, word]) => (
              <Select.Item key={value} value={value}>
                {word}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
      </span>
      <span className="field-label">
        <label htmlFor={`${id}-size`}>Per page</label>
        <Select.Root size="1" value={String(pageSize)} onValueChange={(v) => onPageSize(Number(v))}>
          <Select.Trigger id={`${id}-size`} />
          <Select.Content>
            {PAGE_SIZES.map((size) => (
              <Select.Item key={size} value={String(size)}>
                {size}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
      </span>
    </div>
  );
}
