import { Box, Text, TextField } from "@radix-ui/themes";
import { useId, useState } from "react";
import { committedLabel, suggestLabels } from "./typeahead";

/**
 * The relabel field `l` opens: type, the project's labels are suggested (arrows choose one),
 * Enter commits, Escape leaves the box as it was.
 */
export function Relabel({
  labels,
  onCommit,
  onCancel,
}: {
  labels: readonly { label: string; boxes: number }[];
  onCommit: (label: string) => void;
  onCancel: () => void;
}) {
  const [typed, setTyped] = useState("");
  const [highlighted, setHighlighted] = useState(0);
  const id = useId();
  const suggestions = suggestLabels(labels, typed);
  return (
    <Box className="review-relabel">
      <Text as="label" size="1" weight="medium" htmlFor={`${id}-field`}>
        Relabel as
      </Text>
      <TextField.Root
        id={`${id}-field`}
        size="2"
        autoFocus
        autoComplete="off"
        role="combobox"
        aria-expanded={suggestions.length > 0}
        aria-controls={suggestions.length ? `${id}-list` : undefined}
        aria-activedescendant={suggestions.length ? `${id}-${Math.min(highlighted, suggestions.length - 1)}` : undefined}
        value={typed}
        onChange={(event) => {
          setTyped(event.target.value);
          setHighlighted(0);
        }}
        onBlur={onCancel}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            const step = event.key === "ArrowDown" ? 1 : -1;
            setHighlighted((h) => Math.min(Math.max(h + step, 0), Math.max(suggestions.length - 1, 0)));
          } else if (event.key === "Enter") {
            event.preventDefault();
            const label = committedLabel(suggestions, highlighted, typed);
            if (label !== null) onCommit(label);
          } else if (event.key === "Escape") {
            event.preventDefault();
            onCancel();
          }
        }}
      />
      {suggestions.length > 0 && (
        <ul id={`${id}-list`} role="listbox" aria-label="Labels" className="review-relabel-list">
          {suggestions.map((label, i) => (
          <li
            key={label}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === Math.min(highlighted, suggestions.length - 1)}
            // Before the field's blur: a click on a suggestion commits it.
            onMouseDown={(event) => {
              event.preventDefault();
              onCommit(label);
            }}
          >
            {label}
          </li>
          ))}
        </ul>
      )}
    </Box>
  );
}
