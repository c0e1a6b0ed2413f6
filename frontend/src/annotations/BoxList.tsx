import { useState } from "react";
import type { Annotation } from "../api/types";
import "./annotations.css";
import { isPoint } from "./box";
import { kHz } from "./geometry";
import type { Annotations } from "./useAnnotations";

export interface BoxListProps {
  annotations: Annotations;
  /** A box chosen in the list: the page brings it into view. */
  onJump: (box: Annotation) => void;
}

// Rows in the page at once: a 10 000-box recording stays quick to render.
const ROWS = 100;

const seconds = (s: number) => s.toFixed(3);
const band = (hz: number | null, missing: string) => (hz === null ? missing : kHz(hz));

/** The boxes in time order, with their label, bounds and a Delete button each; a point says so. */
export function BoxList({ annotations, onJump }: BoxListProps) {
  const { boxes, selectedId } = annotations;
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
      <h2>Boxes ({boxes.length})</h2>
      <div>
        <button type="button" onClick={() => step(-1)} disabled={boxes.length === 0 || selectedIndex === 0}>
          Previous box
        </button>{" "}
        <button
          type="button"
          onClick={() => step(1)}
          disabled={boxes.length === 0 || selectedIndex === boxes.length - 1}
        >
          Next box
        </button>
      </div>
      {boxes.length === 0 ? (
        <p>No boxes yet: drag on the spectrogram to draw one; double-click, or press M while listening, to mark a point.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Label</th>
              <th className="number">Start (s)</th>
              <th className="number">End (s)</th>
              <th className="number">Low (kHz)</th>
              <th className="number">High (kHz)</th>
              <th>
                <span className="visually-hidden">Delete</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((box) => (
              <tr key={box.id} className={box.id === selectedId ? "selected" : undefined} aria-current={box.id === selectedId ? "true" : undefined}>
                <td>
                  <button type="button" className="label" onClick={() => choose(box)}>
                    {box.label || <span className="unlabelled">unlabelled</span>}
                  </button>
                  {isPoint(box) && <span className="point-tag">point</span>}
                </td>
                <td className="number">{seconds(box.start_s)}</td>
                <td className="number">{seconds(box.end_s)}</td>
                <td className="number">{band(box.low_hz, "0")}</td>
                <td className="number">{band(box.high_hz, "top")}</td>
                <td>
                  <button
                    type="button"
                    aria-label={`Delete ${box.label || (isPoint(box) ? "point" : "box")} at ${seconds(box.start_s)} s`}
                    onClick={() => annotations.remove(box.id)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav aria-label="Box list pages">
          <button type="button" onClick={() => setPage(shown - 1)} disabled={shown === 0}>
            Earlier boxes
          </button>{" "}
          Boxes {shown * ROWS + 1}–{shown * ROWS + rows.length} of {boxes.length}{" "}
          <button type="button" onClick={() => setPage(shown + 1)} disabled={shown === pages - 1}>
            Later boxes
          </button>
        </nav>
      )}
    </section>
  );
}
