import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiClient } from "../api/client";
import type { Recording, Status } from "../api/types";
import { Uploads } from "../upload/Uploads";
import { changed, nextPollDelay } from "./poll";

const STATUS_WORDS: Record<Status, string> = {
  PENDING: "Pending",
  PROCESSING: "Processing",
  COMPLETED: "Completed",
  FAILED: "Failed",
};

/** The list, kept live by one GET /recordings per poll while any recording is unfinished. */
export function Recordings({ api, maxUploadBytes }: { api: ApiClient; maxUploadBytes: number }) {
  const [recordings, setRecordings] = useState<Recording[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const quietPolls = useRef(0);
  const shown = useRef<Recording[]>([]);

  const refresh = useCallback(async () => {
    clearTimeout(timer.current);
    try {
      const page = await api.listRecordings();
      quietPolls.current = changed(shown.current, page.recordings) ? 0 : quietPolls.current + 1;
      shown.current = page.recordings;
      setRecordings(page.recordings);
      setError(null);
    } catch (failure) {
      quietPolls.current += 1;
      setError(failure instanceof Error ? failure.message : String(failure));
    }
    const delay = nextPollDelay(shown.current, quietPolls.current);
    if (delay !== null) timer.current = setTimeout(() => void refresh(), delay);
  }, [api]);

  useEffect(() => {
    void refresh();
    return () => clearTimeout(timer.current);
  }, [refresh]);

  async function remove(recording: Recording) {
    setConfirming(null);
    try {
      await api.deleteRecording(recording.id);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
    await refresh();
  }

  return (
    <main>
      <h1>Recordings</h1>
      <Uploads
        api={api}
        maxUploadBytes={maxUploadBytes}
        onCreated={() => {
          quietPolls.current = 0;
          void refresh();
        }}
      />
      {error && <p role="alert">{error}</p>}
      {recordings === null ? (
        <p>Loading…</p>
      ) : recordings.length === 0 ? (
        <p>No recordings yet.</p>
      ) : (
        <table className="recordings">
          <thead>
            <tr>
              <th>File</th>
              <th>Status</th>
              <th>Duration</th>
              <th>Sample rate</th>
              <th>Boxes</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {recordings.map((r) => (
              <tr key={r.id}>
                <td>{r.filename}</td>
                <td className={`status ${r.status.toLowerCase()}`}>
                  {STATUS_WORDS[r.status]}
                  {r.status === "FAILED" && r.error && <div className="error">{r.error}</div>}
                </td>
                <td>{r.duration_s === null ? "" : `${r.duration_s.toFixed(1)} s`}</td>
                <td>{r.sample_rate === null ? "" : `${r.sample_rate} Hz`}</td>
                <td>{r.annotation_count}</td>
                <td>
                  {confirming === r.id ? (
                    <span>
                      Delete {r.filename}?{" "}
                      <button type="button" onClick={() => void remove(r)}>
                        Yes, delete
                      </button>{" "}
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button type="button" onClick={() => setConfirming(r.id)} aria-label={`Delete ${r.filename}`}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
