import { Button, DropdownMenu } from "@radix-ui/themes";
import { Download } from "lucide-react";
import { useState } from "react";
import type { ExportFormat } from "../api/client";
import "./annotations.css";
import type { Annotations } from "./useAnnotations";

const FORMATS: { format: ExportFormat; name: string }[] = [
  { format: "raven", name: "Raven" },
  { format: "audacity", name: "Audacity" },
  { format: "csv", name: "CSV" },
  { format: "json", name: "JSON" },
];

/** Hands a file to the browser's downloads under the name the server gave it. */
function download(filename: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next turn; the URL only holds the blob in memory.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** An Export button and its menu of formats; the boxes are saved first so the file holds them. */
export function ExportMenu({ annotations }: { annotations: Annotations }) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  async function choose(format: ExportFormat, name: string) {
    setMessage({ text: `Exporting ${name}…`, error: false });
    try {
      const file = await annotations.exportFile(format);
      download(file.filename, file.data);
      setMessage({ text: `Exported ${file.filename}`, error: false });
    } catch (failure) {
      setMessage({ text: failure instanceof Error ? failure.message : String(failure), error: true });
    }
  }

  return (
    <span className="toolbar-group">
      {/* Not modal: the page stays readable to a screen reader (no aria-hidden round it) while the menu is open. */}
      <DropdownMenu.Root modal={false}>
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
      {message && (
        <span role={message.error ? "alert" : "status"} className={`export-status${message.error ? " failed" : ""}`}>
          {message.text}
        </span>
      )}
    </span>
  );
}
