import { Badge, Button, Checkbox, Select, Table } from "@radix-ui/themes";
import { useState } from "react";
import type { Project, Recording } from "../api/types";
import type { PipelineTimings } from "../config";
import { durationText } from "../clock";
import { detectionShort } from "../detector/detection";
import { NO_PROJECT, ProjectOptions } from "./ProjectOptions";
import { stuckSentence } from "./stuck";
import { STATUS_WORDS } from "./words";

const STATUS_COLOURS = { PENDING: "gray", PROCESSING: "blue", COMPLETED: "green", FAILED: "red" } as const;

/** What a row can ask of the list; each answers once the API has. */
export interface RowActions {
  remove(recording: Recording): Promise<void>;
  regenerate(recording: Recording): Promise<void>;
  move(recording: Recording, projectId: string | null): Promise<void>;
}

/** A row's box for choosing it (to assign it), where the list offers one. */
export interface RowChoice {
  chosen: boolean;
  onChoose: (on: boolean) => void;
}

/**
 * One recording: its name opens the viewer (`?recording=<id>`), its status says what to do next.
 * `manages`: the caller may delete it and move it out of its project (its project's owner, or
 * its uploader outside any project); otherwise those controls are not offered.
 */
export function RecordingRow({
  recording: r,
  projects,
  nowMs,
  pipeline,
  problem,
  actions,
  manages,
  choice,
}: {
  recording: Recording;
  projects: Project[];
  nowMs: number;
  pipeline: PipelineTimings;
  problem: string | undefined;
  actions: RowActions;
  manages: boolean;
  choice?: RowChoice;
}) {
  const [confirming, setConfirming] = useState(false);
  const stuck = stuckSentence(r, nowMs, pipeline);
  const assignees = r.assignees;
  return (
    <Table.Row>
      {choice && (
        <Table.Cell className="choose">
          <Checkbox checked={choice.chosen} onCheckedChange={(on) => choice.onChoose(on === true)} aria-label={`Choose ${r.filename}`} />
        </Table.Cell>
      )}
      <Table.RowHeaderCell>
        <a href={`?recording=${encodeURIComponent(r.id)}`}>{r.filename}</a>
        {assignees.length > 0 && <div className="assignees">Assigned to {assignees.join(", ")}</div>}
      </Table.RowHeaderCell>
      {/* A recording deleted while the list was read has no status. */}
      <Table.Cell className={`status ${r.status?.toLowerCase() ?? "deleted"}`}>
        <Badge highContrast color={r.status ? STATUS_COLOURS[r.status] : "gray"} variant="soft">
          {r.status ? STATUS_WORDS[r.status] : "Deleted"}
        </Badge>
        {r.status === "FAILED" && r.error && <div className="error">{r.error}</div>}
        {stuck && <div className="stuck">{stuck}</div>}
        {(r.status === "FAILED" || stuck) && (
          <Button size="1" variant="soft" onClick={() => void actions.regenerate(r)} aria-label={`Regenerate ${r.filename}`}>
            Regenerate
          </Button>
        )}
        {problem && <div className="error">{problem}</div>}
        {r.detection && <div className={`detection-state ${r.detection.state}`}>{detectionShort(r.detection)}</div>}
      </Table.Cell>
      <Table.Cell>{durationText(r.duration_s)}</Table.Cell>
      <Table.Cell>{r.sample_rate === null ? "" : `${r.sample_rate} Hz`}</Table.Cell>
      <Table.Cell>{r.annotation_count}</Table.Cell>
      <Table.Cell>
        <Select.Root
          size="1"
          disabled={!manages}
          value={r.project_id ?? NO_PROJECT}
          onValueChange={(v) => void actions.move(r, v === NO_PROJECT ? null : v)}
        >
          <Select.Trigger aria-label="Move to project" variant="ghost" />
          <Select.Content>
            <ProjectOptions none="No project" projects={projects} />
          </Select.Content>
        </Select.Root>
      </Table.Cell>
      <Table.Cell>
        {!manages ? null : confirming ? (
          <span>
            Delete {r.filename}?{" "}
            <Button
              size="1"
              color="red"
              onClick={() => {
                setConfirming(false);
                void actions.remove(r);
              }}
            >
              Yes, delete
            </Button>{" "}
            <Button size="1" variant="soft" color="gray" onClick={() => setConfirming(false)}>
              Keep
            </Button>
          </span>
        ) : (
          <Button size="1" variant="soft" color="red" onClick={() => setConfirming(true)} aria-label={`Delete ${r.filename}`}>
            Delete
          </Button>
        )}
      </Table.Cell>
    </Table.Row>
  );
}
