import { Badge, Heading, Link, Select, Table, Text } from "@radix-ui/themes";
import { EyeOff } from "lucide-react";
import { useEffect, useId, useState } from "react";
import type { ApiClient } from "../api/client";
import { durationText } from "../clock";
import { everyProject } from "../recordings/projects";
import { writeLabPlace } from "../page/link";
import type { Pages } from "../recordings/listing";
import { Pager } from "../recordings/Pager";
import type { LabApi } from "./labApi";
import type { AssignmentState, Project, WorkPage } from "../api/types";
import { STATE_WORDS, STATES } from "./workProgress";
import "./lab.css";

// The selects' first items (a Radix item's value is never "").
const ANY_STATE = "all";
const ANY_PROJECT = "all";
const PAGE_SIZE = 50;
const STATE_COLOURS = { to_do: "gray", in_progress: "blue", done: "green" } as const;

/**
 * The caller's assignments over every project they are still a member of (`?work`), newest
 * first, filtered by **State** and **Project** (the URL keeps both); a recording's name opens
 * it, where its assignee sets the state.
 */
export function MyWork({
  api,
  projects: projectsApi,
  state: initialState,
  projectId: initialProject,
}: {
  api: LabApi;
  projects: Pick<ApiClient, "listProjects">;
  state?: AssignmentState;
  projectId?: string;
}) {
  const [state, setState] = useState<AssignmentState | undefined>(initialState);
  const [projectId, setProjectId] = useState<string | undefined>(initialProject);
  const [projects, setProjects] = useState<Project[]>([]);
  const [pages, setPages] = useState<Pages>([]);
  // Each answer with the query it answers: until the shown query's comes, the page is loading.
  const [answer, setAnswer] = useState<{ asked: string; page: WorkPage } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const asked = `${state ?? ""} ${projectId ?? ""} ${pages.at(-1) ?? ""}`;
  const page = answer?.asked === asked ? answer.page : null;
  const next = page?.next ?? null;
  const projectName = projects.find((p) => p.id === projectId)?.name;

  useEffect(() => {
    const search = writeLabPlace({ page: "work", state, projectId });
    if (search !== window.location.search) window.history.replaceState(null, "", search);
  }, [state, projectId]);

  useEffect(() => {
    let current = true;
    // Without the menu the list still works: the filter is only not offered.
    everyProject(projectsApi).then(
      (all) => current && setProjects(all),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [projectsApi]);

  useEffect(() => {
    let current = true;
    api.myWork({ state, project: projectId, limit: PAGE_SIZE, cursor: pages.at(-1) }).then(
      (read) => {
        if (!current) return;
        setAnswer({ asked, page: read });
        setError(null);
      },
      (failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, asked, state, projectId, pages]);

  return (
    <main className="app-main lab-page">
      <div className="lab-heading">
        <Link href="./">← All recordings</Link>
        <Heading as="h1" size="5">
          My work
        </Heading>
      </div>
      <div className="listing-controls">
        <span className="field-label">
          <label htmlFor={`${id}-state`}>State</label>
          <Select.Root
            size="1"
            value={state ?? ANY_STATE}
            onValueChange={(v) => {
              setState(v === ANY_STATE ? undefined : (v as AssignmentState));
              setPages([]);
            }}
          >
            <Select.Trigger id={`${id}-state`} />
            <Select.Content>
              <Select.Item value={ANY_STATE}>All</Select.Item>
              {STATES.map((s) => (
                <Select.Item key={s} value={s}>
                  {STATE_WORDS[s]}
                </Select.Item>
              ))}
            </Select.Content>
          </Select.Root>
        </span>
        {projects.length > 0 && (
          <span className="field-label">
            <label htmlFor={`${id}-project`}>Project</label>
            <Select.Root
              size="1"
              value={projectId ?? ANY_PROJECT}
              onValueChange={(v) => {
                setProjectId(v === ANY_PROJECT ? undefined : v);
                setPages([]);
              }}
            >
              <Select.Trigger id={`${id}-project`} />
              <Select.Content>
                <Select.Item value={ANY_PROJECT}>All projects</Select.Item>
                {projects.map((p) => (
                  <Select.Item key={p.id} value={p.id}>
                    {p.name}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select.Root>
          </span>
        )}
      </div>
      {error && <p role="alert">{error}</p>}
      {page === null ? (
        !error && <p>Loading…</p>
      ) : page.assignments.length === 0 ? (
        <p>
          {pages.length > 0
            ? "No more work."
            : state
              ? `None of your work${projectName ? ` in ${projectName}` : ""} is “${STATE_WORDS[state]}”.`
              : projectId
                ? `No work assigned to you in ${projectName ?? "this project"} yet.`
                : "No work assigned to you yet."}
        </p>
      ) : (
        <Table.Root className="my-work" size="1" variant="surface">
          <caption className="visually-hidden">My work</caption>
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Recording</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Project</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>State</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Duration</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Boxes</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Assigned</Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {page.assignments.map((w) => (
              <Table.Row key={`${w.recording_id} ${w.assignee}`}>
                <Table.RowHeaderCell>
                  <a href={`?recording=${encodeURIComponent(w.recording_id)}`}>{w.filename}</a>
                </Table.RowHeaderCell>
                <Table.Cell>{w.project_name}</Table.Cell>
                <Table.Cell>
                  <Badge highContrast variant="soft" color={STATE_COLOURS[w.state]}>
                    {STATE_WORDS[w.state]}
                  </Badge>
                  {w.blind && (
                    <Text size="1" color="gray" className="blind-mark">
                      <EyeOff size={12} aria-hidden="true" /> Blind
                    </Text>
                  )}
                </Table.Cell>
                <Table.Cell>{durationText(w.duration_s)}</Table.Cell>
                <Table.Cell className="number">{w.annotation_count}</Table.Cell>
                <Table.Cell>
                  <Text size="1" color="gray">
                    {w.assigned_at.slice(0, 10)} by {w.assigned_by}
                  </Text>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      )}
      <Pager pages={pages} next={next} onPages={setPages} />
    </main>
  );
}
