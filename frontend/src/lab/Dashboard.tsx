import { Table, Text } from "@radix-ui/themes";
import { type ReactNode, useEffect, useState } from "react";
import { LabHeading, useProject } from "./LabHeading";
import type { LabApi } from "./labApi";
import { displayName, ROLE_WORDS } from "./memberRoles";
import type { Dashboard as DashboardAnswer } from "../api/types";
import { doneText, hoursText, labelShares, totals } from "./workProgress";
import "./lab.css";

/**
 * A project's progress (`?dashboard=<project id>`), as GET /projects/{id}/dashboard counts it:
 * per member their assignments by state, boxes drawn, review decisions and audio hours done;
 * per label its boxes in the recordings' sets.
 */
/** `agreement`: the project's agreement between blind annotators, shown below the counts. */
export function Dashboard({ api, projectId, agreement }: { api: LabApi; projectId: string; agreement: ReactNode }) {
  const { project, error: projectError } = useProject(api, projectId);
  const [answer, setAnswer] = useState<DashboardAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api.dashboard(projectId).then(
      (read) => current && setAnswer(read),
      (failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, projectId]);
  const sums = answer && totals(answer);

  return (
    <main className="app-main lab-page">
      <LabHeading title={project ? `Dashboard of ${project.name}` : "Dashboard"} projectId={projectId} other="members" />
      {(error ?? projectError) && <p role="alert">{error ?? projectError}</p>}
      {!answer && !error && <p>Loading…</p>}
      {answer && sums && (
        <>
          <Text as="p" size="2" className="lab-summary">
            {sums.recordings} recording{sums.recordings === 1 ? "" : "s"}; {sums.done} of {sums.assigned} assignments done;{" "}
            {sums.boxesDrawn} boxes drawn, {sums.decisions} review decisions, {hoursText(sums.audioHoursDone)} of audio done.
          </Text>
          <section aria-labelledby="dashboard-members">
            <h2 id="dashboard-members">Members</h2>
            <Table.Root className="dashboard-members" size="1" variant="surface">
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeaderCell>Member</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>Role</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>To do</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>In progress</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>Done</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>Boxes drawn</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>Decisions</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>Audio done</Table.ColumnHeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {answer.members.map((m) => (
                  <Table.Row key={m.username}>
                    <Table.RowHeaderCell>{displayName(m)}</Table.RowHeaderCell>
                    <Table.Cell>{ROLE_WORDS[m.role]}</Table.Cell>
                    <Table.Cell className="number">{m.to_do}</Table.Cell>
                    <Table.Cell className="number">{m.in_progress}</Table.Cell>
                    <Table.Cell className="number" title={doneText(m)}>
                      {m.done}
                    </Table.Cell>
                    <Table.Cell className="number">{m.boxes_drawn}</Table.Cell>
                    <Table.Cell className="number">{m.decisions}</Table.Cell>
                    <Table.Cell className="number">{hoursText(m.audio_hours_done)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
          </section>
          <section aria-labelledby="dashboard-labels">
            <h2 id="dashboard-labels">Labels</h2>
            {answer.labels.length === 0 ? (
              <p>No labelled boxes yet.</p>
            ) : (
              <Table.Root className="dashboard-labels" size="1" variant="surface">
                <Table.Header>
                  <Table.Row>
                    <Table.ColumnHeaderCell>Label</Table.ColumnHeaderCell>
                    <Table.ColumnHeaderCell>Boxes</Table.ColumnHeaderCell>
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {labelShares(answer.labels).map((l) => (
                    <Table.Row key={l.label}>
                      <Table.RowHeaderCell>{l.label || "(no label)"}</Table.RowHeaderCell>
                      <Table.Cell className="number label-count">
                        <span className="label-bar" style={{ inlineSize: `${(l.share * 8).toFixed(2)}rem` }} aria-hidden="true" />
                        {l.boxes}
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table.Root>
            )}
          </section>
          {agreement}
        </>
      )}
    </main>
  );
}
