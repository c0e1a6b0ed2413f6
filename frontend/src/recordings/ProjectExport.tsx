import { Button, Checkbox, Flex, Select, Text } from "@radix-ui/themes";
import { useState } from "react";
import type { ApiClient } from "../api/client";
import { saveFile } from "../api/download";
import type { ProjectExportFormat } from "../api/types";

export type ProjectExportApi = Pick<ApiClient, "exportProjectAnnotations">;

const FORMATS: Record<ProjectExportFormat, string> = { raven: "Raven", csv: "CSV", json: "JSON" };

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/**
 * The boxes of every recording of a project in one file (GET /projects/{id}/annotations/export):
 * a format, **Only accepted boxes** (those a reviewer accepted), **Export**.
 */
export function ProjectExport({ api, projectId }: { api: ProjectExportApi; projectId: string }) {
  const [format, setFormat] = useState<ProjectExportFormat>("raven");
  const [onlyAccepted, setOnlyAccepted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);

  async function exportFile() {
    setBusy(true);
    setNote({ text: `Exporting ${FORMATS[format]}…`, error: false });
    try {
      const file = await api.exportProjectAnnotations(projectId, format, onlyAccepted ? "accepted" : undefined);
      saveFile(file);
      setNote({ text: `Exported ${file.filename}`, error: false });
    } catch (failure) {
      setNote({ text: message(failure), error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Flex role="group" aria-label="Export the project's boxes" align="center" gap="3" wrap="wrap" className="project-export">
      <Select.Root value={format} onValueChange={(value) => setFormat(value as ProjectExportFormat)} size="1">
        <Select.Trigger aria-label="Export format" />
        <Select.Content>
          {Object.entries(FORMATS).map(([value, name]) => (
            <Select.Item key={value} value={value}>
              {name}
            </Select.Item>
          ))}
        </Select.Content>
      </Select.Root>
      <Text as="label" size="2">
        <Checkbox checked={onlyAccepted} onCheckedChange={(checked) => setOnlyAccepted(checked === true)} />
        {" Only accepted boxes"}
      </Text>
      <Button size="1" variant="soft" highContrast disabled={busy} onClick={() => void exportFile()}>
        Export
      </Button>
      {note && (
        <Text role={note.error ? "alert" : "status"} size="2" color={note.error ? "red" : undefined}>
          {note.text}
        </Text>
      )}
    </Flex>
  );
}
