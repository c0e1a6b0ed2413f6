import { Button, Checkbox, Flex, Table, Text } from "@radix-ui/themes";
import { LayoutDashboard, ListChecks, Radar, Users } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ApiClient } from "../api/client";
import type { Recording } from "../api/types";
import type { DetectorSettings, PipelineTimings } from "../config";
import { DetectorOutput } from "../detector-output/DetectorOutput";
import { DetectorPresets } from "../detector/DetectorPresets";
import { LabelKeysButton } from "../keys/LabelKeys";
import { Uploads } from "../upload/Uploads";
import { AssignDialog } from "../lab/AssignDialog";
import { everyRowState, toggleRow } from "../lab/assigning";
import { labApi } from "../lab/labApi";
import { canAnnotate, canManage, roleIn } from "../lab/memberRoles";
import type { Project } from "../api/types";
import { ListingControls } from "./ListingControls";
import { writeLabPlace, writeReviewPlace } from "../page/link";
import { EVERYTHING, type ListingChoice, type Pages, pageQuery } from "./listing";
import { Pager } from "./Pager";
import { changed, nextPollDelay } from "./poll";
import { ProjectExport } from "./ProjectExport";
import { everyProject } from "./projects";
import { RecordingRow, type RowActions } from "./RecordingRow";
import { clockSkewMs } from "./stuck";

// Typing pauses this long before the search goes to the API: one request per pause, not per key.
const SEARCH_PAUSE_MS = 300;
// The API's own page size.
const DEFAULT_PAGE_SIZE = 50;

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/**
 * The list, filtered and paged, kept live by one GET /recordings per poll for the page shown
 * while any recording on it is unfinished.
 */
export function Recordings({
  api,
  maxUploadBytes,
  pipeline,
  detector,
}: {
  api: ApiClient;
  maxUploadBytes: number;
  pipeline: PipelineTimings;
  /** The detector presets' form, as /config.json describes it. */
  detector: DetectorSettings;
}) {
  const [choice, setChoice] = useState<ListingChoice>(EVERYTHING);
  const [typed, setTyped] = useState("");
  const [pages, setPages] = useState<Pages>([]);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [recordings, setRecordings] = useState<Recording[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  // Each project with the caller's role in it.
  const [projects, setProjects] = useState<Project[]>([]);
  // The rows chosen to assign, on the page shown; another page or filter starts with none.
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [assigned, setAssigned] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  // The project whose detector presets are open (only while that project is the one chosen).
  const [presetsOf, setPresetsOf] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const quietPolls = useRef(0);
  const shown = useRef<Recording[]>([]);
  // Each list request's number: an answer to a query the person has since changed is dropped.
  const latest = useRef(0);
  // The server's clock minus this one: "seems stuck" compares with the server's updated_at.
  const skewMs = useRef(0);

  const query = useMemo(() => pageQuery(choice, pages, pageSize), [choice, pages, pageSize]);

  const refresh = useCallback(async () => {
    const mine = ++latest.current;
    clearTimeout(timer.current);
    try {
      const page = await api.listRecordings(query);
      if (mine !== latest.current) return;
      quietPolls.current = changed(shown.current, page.recordings) ? 0 : quietPolls.current + 1;
      shown.current = page.recordings;
      skewMs.current = clockSkewMs(page.server_time, Date.now());
      setRecordings(page.recordings);
      setNext(page.next);
      setError(null);
    } catch (failure) {
      if (mine !== latest.current) return;
      quietPolls.current += 1;
      setError(message(failure));
    }
    const delay = nextPollDelay(shown.current, quietPolls.current);
    if (delay !== null) timer.current = setTimeout(() => void refresh(), delay);
  }, [api, query]);

  useEffect(() => {
    void refresh();
    return () => clearTimeout(timer.current);
  }, [refresh]);

  // Another page or filter: the rows of the last one must not pass for its answer.
  useEffect(() => {
    setRecordings(null);
    setChosen(new Set());
    setAssigned(null);
  }, [query]);

  const readProjects = useCallback(
    async () => setProjects(await everyProject(api)),
    [api],
  );
  useEffect(() => {
    readProjects().catch((failure: unknown) => setError(message(failure)));
  }, [readProjects]);
  const lab = useMemo(() => labApi(api), [api]);
  // What the caller may do in the chosen project; with none chosen, their own uploads are theirs.
  const role = roleIn(projects, choice.projectId);

  // Any new choice shows its first page.
  function choose(change: Partial<ListingChoice>) {
    setChoice((c) => ({ ...c, ...change }));
    setPages([]);
  }

  useEffect(() => {
    if (typed === choice.search) return;
    const pause = setTimeout(() => choose({ search: typed }), SEARCH_PAUSE_MS);
    return () => clearTimeout(pause);
  }, [typed, choice.search]);

  // A row's action may finish after the person chose another page: poll the page shown now.
  const refreshShown = useRef(refresh);
  refreshShown.current = refresh;
  function pollSoon() {
    quietPolls.current = 0;
    void refreshShown.current();
  }

  async function attempt(recording: Recording, action: () => Promise<unknown>) {
    setProblems(({ [recording.id]: _, ...others }) => others);
    try {
      await action();
    } catch (failure) {
      setProblems((all) => ({ ...all, [recording.id]: message(failure) }));
    }
    pollSoon();
  }

  const actions: RowActions = {
    remove: (r) => attempt(r, () => api.deleteRecording(r.id)),
    regenerate: (r) =>
      attempt(r, async () => {
        await api.regenerate(r.id);
        // Back to Pending at once; the poll that follows keeps it up to date.
        setRecordings((all) => all && all.map((x) => (x.id === r.id ? { ...x, status: "PENDING", error: null } : x)));
      }),
    move: (r, projectId) => attempt(r, () => api.moveRecording(r.id, projectId)),
  };

  async function newProject(name: string) {
    try {
      const created = await api.createProject(name);
      await readProjects();
      choose({ projectId: created.id });
    } catch (failure) {
      setError(message(failure));
    }
  }

  const filtered = choice.search !== "" || choice.status !== null || choice.projectId !== null;
  // Assigning is the owner's, within one project: its rows get a box to choose them.
  const assigning = choice.projectId !== null && canManage(role);
  const shownIds = recordings?.map((r) => r.id) ?? [];
  return (
    <main className="app-main">
      <h1>Recordings</h1>
      {/* A viewer sees and listens: nothing to upload or import into the project. */}
      {canAnnotate(role) && <Uploads api={api} maxUploadBytes={maxUploadBytes} projectId={choice.projectId} onCreated={pollSoon} />}
      {choice.projectId !== null && canAnnotate(role) && (
        <DetectorOutput api={api} projectId={choice.projectId} onImported={pollSoon} />
      )}
      <ListingControls
        search={typed}
        onSearch={setTyped}
        status={choice.status}
        onStatus={(status) => choose({ status })}
        projectId={choice.projectId}
        onProject={(projectId) => choose({ projectId })}
        projects={projects}
        onNewProject={newProject}
        pageSize={pageSize}
        onPageSize={(size) => {
          setPageSize(size);
          setPages([]);
        }}
      />
      {choice.projectId !== null && (
        // The chosen project's people and progress, then its work in the order a season goes:
        // assigning, presets, review, label keys, export.
        <Flex className="project-actions" align="center" gap="3" wrap="wrap">
          <Button asChild size="1" variant="soft">
            <a href={writeLabPlace({ page: "members", projectId: choice.projectId })}>
              <Users size={14} aria-hidden="true" />
              Members
            </a>
          </Button>
          <Button asChild size="1" variant="soft">
            <a href={writeLabPlace({ page: "dashboard", projectId: choice.projectId })}>
              <LayoutDashboard size={14} aria-hidden="true" />
              Dashboard
            </a>
          </Button>
          {assigning && (
            <AssignDialog
              api={lab}
              projectId={choice.projectId}
              recordingIds={[...chosen]}
              onAssigned={(sentence) => {
                setAssigned(sentence);
                setChosen(new Set());
                pollSoon();
              }}
            />
          )}
          {presetsOf !== choice.projectId && canAnnotate(role) && (
            <Button size="1" variant="soft" onClick={() => setPresetsOf(choice.projectId)}>
              <Radar size={14} aria-hidden="true" />
              Detector presets
            </Button>
          )}
          <Button asChild size="1" variant="soft">
            <a href={writeReviewPlace({ projectId: choice.projectId, recordingId: null, filters: {} })}>
              <ListChecks size={14} aria-hidden="true" />
              Review
            </a>
          </Button>
          {/* Label keys are the project's settings: the owner's to change. */}
          {canManage(role) && <LabelKeysButton api={api} projectId={choice.projectId} />}
          <ProjectExport api={api} projectId={choice.projectId} />
        </Flex>
      )}
      {choice.projectId !== null && presetsOf === choice.projectId && (
        <DetectorPresets
          api={api}
          projectId={choice.projectId}
          settings={detector}
          onClose={() => setPresetsOf(null)}
          onRun={pollSoon}
        />
      )}
      {assigning && (
        <Text as="p" size="2" role="status" color="gray" className="assign-status">
          {assigned ?? (chosen.size > 0 ? `${chosen.size} chosen to assign.` : "")}
        </Text>
      )}
      {error && <p role="alert">{error}</p>}
      {recordings === null ? (
        <p>Loading…</p>
      ) : recordings.length === 0 ? (
        <p>{filtered ? "No recordings match." : pages.length > 0 ? "No more recordings." : "No recordings yet."}</p>
      ) : (
        <Table.Root className="recordings" size="1" variant="surface">
          <Table.Header>
            <Table.Row>
              {assigning && (
                <Table.ColumnHeaderCell className="choose">
                  <Checkbox
                    checked={everyRowState(chosen, shownIds)}
                    onCheckedChange={(on) => setChosen(on === true ? new Set(shownIds) : new Set())}
                    aria-label="Choose every recording on this page"
                  />
                </Table.ColumnHeaderCell>
              )}
              <Table.ColumnHeaderCell>File</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Status</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Duration</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Sample rate</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Boxes</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Project</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>
                <span className="visually-hidden">Delete</span>
              </Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {recordings.map((r) => (
              <RecordingRow
                key={r.id}
                recording={r}
                projects={projects}
                nowMs={Date.now() + skewMs.current}
                pipeline={pipeline}
                problem={problems[r.id]}
                actions={actions}
                manages={canManage(roleIn(projects, r.project_id ?? null))}
                choice={
                  assigning
                    ? {
                        chosen: chosen.has(r.id),
                        onChoose: (on) => {
                          setAssigned(null);
                          setChosen((now) => toggleRow(now, r.id, on));
                        },
                      }
                    : undefined
                }
              />
            ))}
          </Table.Body>
        </Table.Root>
      )}
      <Pager pages={pages} next={next} onPages={setPages} />
    </main>
  );
}
