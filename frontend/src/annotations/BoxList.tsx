import { Badge, Button, IconButton, Tooltip } from "@radix-ui/themes";
import { ChevronDown, ChevronUp, Trash } from "lucide-react";
import { useMemo, useState } from "react";
import type { Annotation } from "../api/types";
import type { MeasurementName } from "../config";
import "./annotations.css";
import { isPoint } from "./box";
import { ColumnPicker } from "./ColumnPicker";
import { annotatorOf, formatMeasurement, readColumns, saveColumns } from "./columns";
import { kHz } from "./geometry";
import { colourOf } from "./labelColours";
import { isProposal, proposalCount, sourceWords } from "./proposals";
import type { Annotations } from "./useAnnotations";

export interface BoxListProps {
  annotations: Annotations;
  /** A box chosen in the list: the page brings it into view. */
  onJump: (box: Annotation) => void;
  /** The measurements the server computes (/config.json), offered as columns. */
  measurements?: readonly MeasurementName[];
  /** Whether proposals are listed (they are counted either way). */
  showProposals?: boolean;
  /** The labels in palette order, as the spectrogram colours them. */
  labels?: readonly string[];
  /** Whether the caller may draw (a project's viewer may not): what an empty list suggests. */
  annotates?: boolean;
}

// Rows in the page at once: a 10 000-box recording stays quick to render.
const ROWS = 100;

const seconds = (s: number) => s.toFixed(3);
const band = (hz: number | null, missing: string) => (hz === null ? missing : kHz(hz));

/**
 * The boxes in time order, with their label, bounds, the measurement columns chosen and a
 * Delete button each; a point, a proposal and a box being measured say so.
 */
export function BoxList({ annotations, onJump, measurements = [], showProposals = true, labels, annotates = true }: BoxListProps) {
  const { selectedId, measuring } = annotations;
  const proposals = proposalCount(annotations.boxes);
  const boxes = useMemo(
    () => (showProposals ? annotations.boxes : annotations.boxes.filter((box) => !isProposal(box))),
    [annotations.boxes, showProposals],
  );
  const [columns, setColumns] = useState(() => readColumns(localStorage, measurements));
  const shortNames = new Map(measurements.map((m) => [m.key, m]));
  function chooseColumns(keys: string[]) {
    setColumns(keys);
    saveColumns(localStorage, keys);
  }
  const selectedIndex = boxes.findIndex((box) => box.id === selectedId);
  const [page, setPage] = useState(0);
  // The page shows the selected box when it changes: chosen on the spectrogram, or by Next.
  const [followed, setFollowed] = useState(selectedId);
  if (followed !== selectedId) {
    setFollowed(selectedId);
    if (selectedIndex >= 0) setPage(Math.floor(selectedIndex / ROWS));
  }
  const pages = Math.max(1, Math.ceil(boxes.length / ROWS));
  const shown = Math.min(page, pages - 1);
  const rows = boxes.slice(shown * ROWS, (shown + 1) * ROWS);

  function choose(box: Annotation) {
    annotations.select(box.id);
    onJump(box);
  }

  function step(by: number) {
    const next = boxes[selectedIndex < 0 ? (by > 0 ? 0 : boxes.length - 1) : selectedIndex + by];
    if (next) choose(next);
  }

  return (
    <section className="box-list" aria-label="Boxes">
      <header>
        <h2>
          Boxes ({annotations.boxes.length})
          {proposals > 0 && (
            <Badge highContrast className="proposal-count" color="plum" variant="soft" size="1">
              {proposals} {proposals === 1 ? "proposal" : "proposals"}
              {!showProposals && " (hidden)"}
            </Badge>
          )}
        </h2>
        <div className="box-list-tools">
          <Tooltip content="Previous box">
            <IconButton
              size="1"
              variant="soft"
              aria-label="Previous box"
              onClick={() => step(-1)}
              disabled={boxes.length === 0 || selectedIndex === 0}
            >
              <ChevronUp size={14} aria-hidden="true" />
            </IconButton>
          </Tooltip>
          <Tooltip content="Next box">
            <IconButton
              size="1"
              variant="soft"
              aria-label="Next box"
              onClick={() => step(1)}
              disabled={boxes.length === 0 || selectedIndex === boxes.length - 1}
            >
              <ChevronDown size={14} aria-hidden="true" />
            </IconButton>
          </Tooltip>
          {measurements.length > 0 && <ColumnPicker available={measurements} chosen={columns} onChange={chooseColumns} />}
        </div>
      </header>
      {boxes.length === 0 && proposals > 0 ? (
        <p>Every box here is a hidden proposal: tick Show proposals to list them{annotates ? ", or draw a box of your own" : ""}.</p>
      ) : boxes.length === 0 && !annotates ? (
        <p>No boxes yet.</p>
      ) : boxes.length === 0 ? (
        <p>No boxes yet: drag on the spectrogram to draw one; double-click, or press M while listening, to mark a point.</p>
      ) : (
        <div className="box-list-rows">
          <table>
            <thead>
              <tr>
                <th>Label</th>
                <th className="number">Start (s)</th>
                <th className="number">End (s)</th>
                <th className="number">Low (kHz)</th>
                <th className="number">High (kHz)</th>
                <th>Annotator</th>
                {columns.map((key) => (
                  <th key={key} className="number" title={`${key}: ${shortNames.get(key)?.definition ?? ""}`}>
                    {shortNames.get(key)?.short ?? key}
                  </th>
                ))}
                <th>
                  <span className="visually-hidden">Delete</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((box) => (
                <tr
                  key={box.id}
                  className={[box.id === selectedId && "selected", isProposal(box) && "proposal"].filter(Boolean).join(" ") || undefined}
                  aria-current={box.id === selectedId ? "true" : undefined}
                >
                  <td>
                    <button type="button" className="label" onClick={() => choose(box)}>
                      <span className="swatch" style={{ color: colourOf(box.label, labels) }} />
                      {box.label || <span className="unlabelled">unlabelled</span>}
                    </button>
                    {isPoint(box) && (
                      <Badge highContrast className="point-tag" color="gray" size="1">
                        point
                      </Badge>
                    )}
                    {isProposal(box) && (
                      <Badge
                        className="proposal-tag"
                        color="plum"
                        size="1"
                        title={`Proposed by ${sourceWords(box.source ?? "")}; not reviewed yet`}
                      >
                        proposal
                      </Badge>
                    )}
                    {measuring.has(box.id) && <span className="measuring">measuring…</span>}
                  </td>
                  <td className="number">{seconds(box.start_s)}</td>
                  <td className="number">{seconds(box.end_s)}</td>
                  <td className="number">{band(box.low_hz, "0")}</td>
                  <td className="number">{band(box.high_hz, "top")}</td>
                  <td className="annotator">{annotatorOf(box)}</td>
                  {columns.map((key) => (
                    <td key={key} className="number">
                      {key in box.measurements ? formatMeasurement(key, box.measurements[key]) : ""}
                    </td>
                  ))}
                  <td>
                    <IconButton
                      size="1"
                      variant="ghost"
                      color="red"
                      aria-label={`Delete ${box.label || (isPoint(box) ? "point" : "box")} at ${seconds(box.start_s)} s`}
                      onClick={() => annotations.remove(box.id)}
                    >
                      <Trash size={13} aria-hidden="true" />
                    </IconButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav aria-label="Box list pages">
          <Button size="1" variant="soft" onClick={() => setPage(shown - 1)} disabled={shown === 0}>
            Earlier boxes
          </Button>
          Boxes {shown * ROWS + 1}–{shown * ROWS + rows.length} of {boxes.length}
          <Button size="1" variant="soft" onClick={() => setPage(shown + 1)} disabled={shown === pages - 1}>
            Later boxes
          </Button>
        </nav>
      )}
    </section>
  );
}
