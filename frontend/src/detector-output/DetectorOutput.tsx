import { Button, Card } from "@radix-ui/themes";
import { FileUp, FolderOpen } from "lucide-react";
import { useId, useRef, useState } from "react";
import type { ApiClient } from "../api/client";
import { useDropZone } from "../upload/useDropZone";
import { useSending } from "../upload/useSending";
import { type ResultFile, ended, matchedWords, resultFiles, summarise, summaryLine } from "./imports";

const STATE_WORDS = {
  skipped: "Skipped",
  waiting: "Waiting",
  uploading: "Sending",
  imported: "Imported",
  refused: "Refused",
  failed: "Failed",
} as const;

/**
 * A deployment's detector output (BirdNET tables and CSVs, Raven selection tables, ...) for
 * the chosen project: choose or drop a folder of result files; each is sent, a few at a time,
 * and the server puts its boxes on the recordings it names. A summary says where they went,
 * which audio names no recording has, and why a file was refused.
 */
export function DetectorOutput({
  api,
  projectId,
  onImported,
}: {
  api: ApiClient;
  projectId: string;
  onImported: () => void;
}) {
  const [items, setItems] = useState<ResultFile[]>([]);
  const nextKey = useRef(0);
  const headingId = useId();

  const update = (key: number, change: Partial<ResultFile>) =>
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i)));

  function add(files: Iterable<File>) {
    const added = resultFiles(files, projectId, nextKey.current);
    nextKey.current += added.length;
    setItems((all) => [...all, ...added]);
  }
  const { zone, problem, chooseFolder } = useDropZone(add);

  async function send(item: ResultFile) {
    try {
      const answer = await api.importDetectorOutput(item.projectId, item.file.name, item.file);
      update(item.key, { state: "imported", answer, reason: null });
      if (answer.boxes > 0) onImported();
    } catch (failure) {
      update(item.key, ended(failure));
    }
  }

  useSending(items, setItems, (item) => void send(item));

  const summary = summarise(items);
  return (
    <Card asChild size="1" className="detector-output">
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Detector output</h2>
      <div {...zone}>
        <Button size="1" onClick={chooseFolder}>
          <FolderOpen size={14} aria-hidden="true" />
          Import detector output
        </Button>
        {/* The file input is reached through its label, drawn as a button. */}
        <Button asChild size="1" variant="soft">
        <label className="file-button">
          <FileUp size={14} aria-hidden="true" />
          Choose result files
          <input
            type="file"
            className="visually-hidden"
            multiple
            accept=".txt,.csv,.tsv,.json"
            onChange={(e) => {
              add(e.target.files ?? []);
              e.target.value = "";
            }}
          />
        </label>
        </Button>
        <span>
          or drop a folder of BirdNET or Raven results here: each file goes to the recordings it names (by file
          name, without folders or extension)
        </span>
      </div>
      {problem && <p role="alert">{problem}</p>}
      {items.length > 0 && (
        <>
          <p role="status">{summaryLine(summary)}</p>
          {summary.unmatched.length > 0 && (
            <p className="unmatched">
              No recording in this project for: <span className="names">{summary.unmatched.join(", ")}</span>
            </p>
          )}
          <ul className="result-files">
            {items.map((item) => (
              <li key={item.key} className={`result-file ${item.state}`}>
                <span className="name">{item.file.name}</span>
                <span className="state">{STATE_WORDS[item.state]}</span>
                {item.answer && <span className="matched">{matchedWords(item.answer)}</span>}
                {item.answer && item.answer.unmatched.length > 0 && (
                  <span className="unmatched">no recording for {item.answer.unmatched.join(", ")}</span>
                )}
                {item.reason && <span className="message">{item.reason}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
    </Card>
  );
}
