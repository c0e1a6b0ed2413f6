import { Select } from "@radix-ui/themes";
import type { Project } from "../api/types";

/** The value of a project Select's first item: no project (a Radix item's value is never ""). */
export const NO_PROJECT = "none";

/** A project Select's items: `none` (value NO_PROJECT) first, then each project. */
export function ProjectOptions({ none, projects }: { none: string; projects: Project[] }) {
  return (
    <>
      <Select.Item value={NO_PROJECT}>{none}</Select.Item>
      {projects.map((p) => (
        <Select.Item key={p.id} value={p.id}>
          {p.name}
        </Select.Item>
      ))}
    </>
  );
}
