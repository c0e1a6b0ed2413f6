import { type FormEvent, useId, useState } from "react";
import type { ImportFormat } from "../api/client";
import "./annotations.css";
import type { Annotations } from "./useAnnotations";

const FORMATS: { value: ImportFormat | ""; name: string }[] = [
  { value: "", name: "Detect" },
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
  const [format, setFormat] = useState<ImportFormat | "">("");
  const [mode, setMode] = useState<"append" | "replace">("append");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const modeName = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await annotations.importFile(file, { format: format || undefined, mode });
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
      <label>
        Format
        <select value={format} onChange={(event) => setFormat(event.currentTarget.value as ImportFormat | "")}>
          {FORMATS.map(({ value, name }) => (
            <option key={name} value={value}>
              {name}
            </option>
          ))}
        </select>
      </label>{" "}
      <fieldset>
        <legend>Imported boxes</legend>
        <label>
          <input type="radio" name={modeName} checked={mode === "append"} onChange={() => setMode("append")} />
          Append
        </label>{" "}
        <label>
          <input type="radio" name={modeName} checked={mode === "replace"} onChange={() => setMode("replace")} />
          Replace
        </label>
      </fieldset>{" "}
      <button type="submit" disabled={!file || busy}>
        {busy ? "Importing…" : "Import"}
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
