import { Button, Card, Progress } from "@radix-ui/themes";
import { FolderOpen, Upload } from "lucide-react";
import { useRef, useState } from "react";
import type { ApiClient } from "../api/client";
import type { Created, PartsPlan } from "../api/types";
import { refusal } from "./checks";
import { useDropZone } from "./useDropZone";
import { useSending } from "./useSending";
import type { UploadItem } from "./queue";
import { heldParts, sendParts } from "./parts";
import { putPart, sendToBucket } from "./send";

const STATE_WORDS = {
  refused: "Refused",
  waiting: "Waiting",
  uploading: "Uploading",
  done: "Uploaded",
  failed: "Failed",
  cancelled: "Cancelled",
} as const;

/**
 * Pick or drop files or whole folders; each file is checked, then sent a few at a time with
 * its own progress and Cancel, into the project chosen when it was added.
 */
export function Uploads({
  api,
  maxUploadBytes,
  projectId,
  onCreated,
}: {
  api: ApiClient;
  maxUploadBytes: number;
  projectId: string | null;
  onCreated: () => void;
}) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const nextKey = useRef(0);
  const cancels = useRef(new Map<number, AbortController>());

  const update = (key: number, change: Partial<UploadItem>) =>
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i)));

  function add(files: Iterable<File>) {
    const added = Array.from(files, (file): UploadItem => {
      const reason = refusal(file, maxUploadBytes);
      const state = reason ? "refused" : "waiting";
      return { key: nextKey.current++, file, projectId, state, progress: 0, message: reason };
    });
    setItems((all) => [...all, ...added]);
  }
  const { zone, problem, chooseFolder } = useDropZone(add);

  async function upload(item: UploadItem) {
    const cancel = new AbortController();
    cancels.current.set(item.key, cancel);
    let created: Created | null = null;
    try {
      created = await api.createRecording(item.file, item.projectId);
      onCreated();
      if (cancel.signal.aborted) throw new DOMException("cancelled", "AbortError");
      const progress = (fraction: number) => update(item.key, { progress: fraction });
      if ("multipart" in created.upload) {
        update(item.key, { inPartsOf: created.recording.id });
        await sendInParts(created.recording.id, item.file, created.upload.multipart, new Map(), progress, cancel.signal);
      } else {
        await sendToBucket(created.upload, item.file, progress, cancel.signal);
      }
      update(item.key, { state: "done", progress: 1 });
    } catch (failure) {
      const cancelled = cancel.signal.aborted;
      // A cancelled file's recording would wait for its audio for ever: remove it.
      if (cancelled && created) await api.deleteRecording(created.recording.id).catch(() => undefined);
      update(item.key, {
        state: cancelled ? "cancelled" : "failed",
        message: cancelled ? null : failure instanceof Error ? failure.message : String(failure),
      });
    } finally {
      cancels.current.delete(item.key);
    }
  }

  async function sendInParts(
    id: string,
    file: File,
    plan: PartsPlan,
    held: Map<number, string>,
    onProgress: (fraction: number) => void,
    signal: AbortSignal,
  ) {
    const sender = { put: putPart, presign: (numbers: number[]) => api.presignParts(id, numbers) };
    await api.completeUpload(id, await sendParts(file, plan, held, sender, onProgress, signal));
  }

  /** A failed upload in parts goes on from the parts the bucket holds, not from the start. */
  async function resume(item: UploadItem, id: string) {
    const cancel = new AbortController();
    cancels.current.set(item.key, cancel);
    update(item.key, { state: "uploading", message: null });
    try {
      const progress = await api.uploadProgress(id);
      const plan = { part_size: progress.part_size, part_count: progress.part_count, parts: [], expires_at: new Date(0).toISOString() };
      const held = heldParts(progress, item.file.size);
      await sendInParts(id, item.file, plan, held, (fraction) => update(item.key, { progress: fraction }), cancel.signal);
      update(item.key, { state: "done", progress: 1 });
    } catch (failure) {
      const cancelled = cancel.signal.aborted;
      if (cancelled) await api.deleteRecording(id).catch(() => undefined);
      update(item.key, {
        state: cancelled ? "cancelled" : "failed",
        message: cancelled ? null : failure instanceof Error ? failure.message : String(failure),
      });
    } finally {
      cancels.current.delete(item.key);
    }
  }

  useSending(items, setItems, (item) => void upload(item));

  function cancel(item: UploadItem) {
    if (item.state === "waiting") update(item.key, { state: "cancelled" });
    else cancels.current.get(item.key)?.abort();
  }

  return (
    <Card asChild size="1">
    <section className="uploads" aria-label="Upload">
      <div {...zone}>
        {/* The file input is reached through its label, drawn as a button. */}
        <Button asChild size="1">
          <label className="file-button">
            <Upload size={14} aria-hidden="true" />
            Add recordings
            <input
              type="file"
              className="visually-hidden"
              multiple
              onChange={(e) => {
                add(e.target.files ?? []);
                e.target.value = "";
              }}
            />
          </label>
        </Button>
        <Button size="1" variant="soft" onClick={chooseFolder}>
          <FolderOpen size={14} aria-hidden="true" />
          Choose a folder
        </Button>
        <span>or drop audio files or folders here</span>
      </div>
      {problem && <p role="alert">{problem}</p>}
      {items.length > 0 && (
        <ul className="upload-list">
          {items.map((item) => (
            <li key={item.key} className={`upload ${item.state}`}>
              <span className="name">{item.file.name}</span>
              <span className="state">{STATE_WORDS[item.state]}</span>
              {(item.state === "uploading" || item.state === "done") && (
                <Progress className="progress" size="1" max={1} value={item.progress} aria-label={`Upload of ${item.file.name}`} />
              )}
              {(item.state === "waiting" || item.state === "uploading") && (
                <Button size="1" variant="soft" color="gray" onClick={() => cancel(item)}>
                  Cancel
                </Button>
              )}
              {item.state === "failed" && item.inPartsOf && (
                <Button size="1" variant="soft" onClick={() => void resume(item, item.inPartsOf as string)}>
                  Resume
                </Button>
              )}
              {item.message && <span className="message">{item.message}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
    </Card>
  );
}
