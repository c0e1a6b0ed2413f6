import { Button, Checkbox, DropdownMenu, Text } from "@radix-ui/themes";
import { Download } from "lucide-react";
import { useState } from "react";
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
  const [onlyAccepted, setOnlyAccepted] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  async function choose(format: ExportFormat, name: string) {
    setMessage({ text: `Exporting ${name}…`, error: false });
    try {
      const file = await annotations.exportFile(format, onlyAccepted ? "accepted" : undefined);
      saveFile(file);
      setMessage({ text: `Exported ${file.filename}`, error: false });
    } catch (failure) {
      setMessage({ text: failure instanceof Error ? failure.message : String(failure), error: true });
    }
  }

  return (
    <span className="toolbar-group">
      {/* Modal, as Radix's menus are: the rest of the page is made inert while it is open
          (src/radix/ariaHidden.ts), and a click on Export after a download opens it every time
          (not modal, the click after a download's focus change only closed it). */}
      <DropdownMenu.Root>
        <DropdownMenu.Trigger>
          <Button size="1" variant="soft">
            <Download size={14} aria-hidden="true" />
            Export
            <DropdownMenu.TriggerIcon />
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Content size="1" aria-label="Export format">
          {FORMATS.map(({ format, name }) => (
            <DropdownMenu.Item key={format} onSelect={() => void choose(format, name)}>
              {name}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Root>
      <Text as="label" size="1">
        <Checkbox size="1" checked={onlyAccepted} onCheckedChange={(checked) => setOnlyAccepted(checked === true)} />
        {" Only accepted boxes"}
      </Text>
      {message && (
        <span role={message.error ? "alert" : "status"} className={`export-status${message.error ? " failed" : ""}`}>
          {message.text}
        </span>
      )}
    </span>
  );
}
