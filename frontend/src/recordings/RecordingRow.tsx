import { useState } from "react";
import type { Project, Recording } from "../api/types";
import type { PipelineTimings } from "../config";
import { durationText } from "../clock";
import { detectionShort } from "../detector/detection";
import { ProjectOptions } from "./ProjectOptions";
import { stuckSentence } from "./stuck";
import { STATUS_WORDS } from "./words";

/** What a row can ask of the list; each answers once the API has. */
export interface RowActions {
  remove(recording: Recording): Promise<void>;
  regenerate(recording: Recording): Promise<void>;
  move(recording: Recording, projectId: string | null): Promise<void>;
}

/** One recording: its name opens the viewer (`?recording=<id>`), its status says what to do next. */
export function RecordingRow({
  recording: r,
  projects,
  nowMs,
  pipeline,
  problem,
  actions,
}: {
  recording: Recording;
  projects: Project[];
  nowMs: number;
  pipeline: PipelineTimings;
  problem: string | undefined;
  actions: RowActions;
}) {
  const [confirming, setConfirming] = useState(false);
  const stuck = stuckSentence(r, nowMs, pipeline);
  return (
    <tr>
      <td>
        <a href={`?recording=${encodeURIComponent(r.id)}`}>{r.filename}</a>
      </td>
      {/* A recording deleted while the list was read has no status. */}
      <td className={`status ${r.status?.toLowerCase() ?? "deleted"}`}>
        {r.status ? STATUS_WORDS[r.status] : "Deleted"}
        {r.status === "FAILED" && r.error && <div className="error">{r.error}</div>}
        {stuck && <div className="stuck">{stuck}</div>}
        {(r.status === "FAILED" || stuck) && (
          <button type="button" onClick={() => void actions.regenerate(r)} aria-label={`Regenerate ${r.filename}`}>
            Regenerate
          </button>
        )}
        {problem && <div className="error">{problem}</div>}
        {r.detection && <div className={`detection-state ${r.detection.state}`}>{detectionShort(r.detection)}</div>}
      </td>
      <td>{durationText(r.duration_s)}</td>
      <td>{r.sample_rate === null ? "" : `${r.sample_rate} Hz`}</td>
      <td>{r.annotation_count}</td>
      <td>
        <select
          aria-label="Move to project"
          value={r.project_id ?? ""}
          onChange={(e) => void actions.move(r, e.target.value || null)}
        >
          <ProjectOptions none="No project" projects={projects} />
        </select>
      </td>
      <td>
        {confirming ? (
          <span>
            Delete {r.filename}?{" "}
            <button
              type="button"
              onClick={() => {
                setConfirming(false);
                void actions.remove(r);
              }}
            >
              Yes, delete
            </button>{" "}
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete ${r.filename}`}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}
