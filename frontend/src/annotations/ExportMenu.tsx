import { Checkbox, Text } from "@radix-ui/themes";
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import type { ExportFormat } from "../api/client";
import { saveFile } from "../api/download";
import "./annotations.css";
import type { Annotations } from "./useAnnotations";

const FORMATS: { format: ExportFormat; name: string }[] = [
  { format: "raven", name: "Raven" },
  { format: "audacity", name: "Audacity" },
  { format: "csv", name: "CSV" },
  { format: "json", name: "JSON" },
];

/**
 * An Export button and its menu of formats, and **Only accepted boxes** (the boxes a reviewer
 * accepted); the boxes are saved first so the file holds them.
 */
export function ExportMenu({ annotations }: { annotations: Annotations }) {
  const [open, setOpen] = useState(false);
  const [onlyAccepted, setOnlyAccepted] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (open) items.current[0]?.focus();
  }, [open]);

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  async function choose(format: ExportFormat, name: string) {
    close();
    setMessage({ text: `Exporting ${name}…`, error: false });
    try {
      const file = await annotations.exportFile(format, onlyAccepted ? "accepted" : undefined);
      saveFile(file);
      setMessage({ text: `Exported ${file.filename}`, error: false });
    } catch (failure) {
      setMessage({ text: failure instanceof Error ? failure.message : String(failure), error: true });
    }
  }

  function menuKeys(event: KeyboardEvent<HTMLUListElement>) {
    const buttons = items.current.filter((b): b is HTMLButtonElement => b !== null);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (event.key === "Escape") close();
    else if (event.key === "Tab") setOpen(false);
    else if (to !== undefined) buttons[(to + buttons.length) % buttons.length]?.focus();
    else return;
    if (event.key !== "Tab") event.preventDefault();
  }

  function openKeys(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
    }
  }

  return (
    <div
      className="export-menu"
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        onKeyDown={openKeys}
      >
        Export
      </button>
      {open && (
        <ul role="menu" aria-label="Export format" onKeyDown={menuKeys}>
          {FORMATS.map(({ format, name }, i) => (
            <li key={format} role="none">
              <button
                ref={(element) => {
                  items.current[i] = element;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => void choose(format, name)}
              >
                {name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Text as="label" size="2">
        <Checkbox checked={onlyAccepted} onCheckedChange={(checked) => setOnlyAccepted(checked === true)} />
        {" Only accepted boxes"}
      </Text>
      {message && (
        <span role={message.error ? "alert" : "status"} className={message.error ? "failed" : undefined}>
          {" "}
          {message.text}
        </span>
      )}
    </div>
  );
}
