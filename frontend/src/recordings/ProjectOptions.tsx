import type { Project } from "../api/types";

/** A project select's options: `none` (value "") first, then each project. */
export function ProjectOptions({ none, projects }: { none: string; projects: Project[] }) {
  return (
    <>
      <option value="">{none}</option>
      {projects.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </>
  );
}
