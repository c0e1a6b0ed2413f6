import { useMemo } from "react";
import type { Annotation } from "../api/types";
import { colourOf } from "./labelColours";
import { isProposal } from "./proposals";

// More labels than this on one recording: the rest are counted, not listed.
const LISTED = 16;

/** The spectrogram's key: each label's colour (labelColours.ts), and how proposals are drawn. */
export function LabelLegend({ boxes, labels }: { boxes: readonly Annotation[]; labels?: readonly string[] }) {
  const { named, unlabelled, proposals } = useMemo(() => {
    const used = new Set<string>();
    for (const box of boxes) used.add(box.label);
    return {
      named: [...used].filter(Boolean).sort(),
      unlabelled: used.has(""),
      proposals: boxes.some(isProposal),
    };
  }, [boxes]);
  if (named.length === 0 && !unlabelled) return null;
  return (
    <ul className="label-legend" aria-label="Colour key">
      {named.slice(0, LISTED).map((label) => (
        <li key={label} data-colour={colourOf(label, labels)}>
          <span className="swatch" style={{ color: colourOf(label, labels) }} />
          {label}
        </li>
      ))}
      {named.length > LISTED && <li>and {named.length - LISTED} more</li>}
      {unlabelled && (
        <li data-colour={colourOf("")}>
          <span className="swatch" style={{ color: colourOf("") }} />
          unlabelled
        </li>
      )}
      {proposals && (
        <li>
          <span className="swatch dashed" />
          proposal (dashed)
        </li>
      )}
    </ul>
  );
}
