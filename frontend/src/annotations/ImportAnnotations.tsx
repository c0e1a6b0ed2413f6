import { Button, RadioGroup, Select } from "@radix-ui/themes";
import { type FormEvent, useId, useState } from "react";
import type { ImportFormat } from "../api/client";
import "./annotations.css";
import type { Annotations } from "./useAnnotations";

// Detect: the server reads the format from the file (a Radix item's value is never "").
const DETECT = "detect";
const FORMATS: { value: ImportFormat | typeof DETECT; name: string }[] = [
  { value: DETECT, name: "Detect" },
  { value: "raven", name: "Raven" },
  { value: "birdnet", name: "BirdNET" },
  { value: "audacity", name: "Audacity" },
  { value: "csv", name: "CSV" },
  { value: "json", name: "JSON" },
];

/**
 * A file of boxes from another tool, added to this recording's (Append) or in place of them
 * (Replace). The server checks the whole file first: a bad line imports nothing and its
 * sentence names the line.
 */
export function ImportAnnotations({ annotations }: { annotations: Annotations }) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | typeof DETECT>(DETECT);
  const [mode, setMode] = useState<"append" | "replace">("append");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const modeLegend = useId();
  const formatId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await annotations.importFile(file, { format: format === DETECT ? undefined : format, mode });
    } catch (failure) {
      setError(`${file.name}: ${failure instanceof Error ? failure.message : String(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="import-annotations" onSubmit={(event) => void submit(event)}>
      <label>
        Import annotations
        <input type="file" onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)} />
      </label>{" "}
      <span className="field-label">
        <label htmlFor={formatId}>Format</label>
        <Select.Root size="1" value={format} onValueChange={(value) => setFormat(value as ImportFormat | typeof DETECT)}>
          <Select.Trigger id={formatId} />
          <Select.Content>
            {FORMATS.map(({ value, name }) => (
              <Select.Item key={name} value={value}>
                {name}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
      </span>{" "}
      <fieldset>
        <legend id={modeLegend}>Imported boxes</legend>
        <RadioGroup.Root
          size="1"
          aria-labelledby={modeLegend}
          value={mode}
          onValueChange={(value) => setMode(value === "replace" ? "replace" : "append")}
        >
          <RadioGroup.Item value="append">Append</RadioGroup.Item>
          <RadioGroup.Item value="replace">Replace</RadioGroup.Item>
        </RadioGroup.Root>
      </fieldset>{" "}
      <Button size="1" type="submit" disabled={!file || busy}>
        {busy ? "Importing…" : "Import"}
      </Button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
