import { useCallback, useEffect, useState } from "react";
import { ApiError, type ApiClient } from "../api/client";
import { backoffDelay } from "../api/backoff";
import type { Manifest, Recording } from "../api/types";

const WAIT_FIRST_MS = 1000;
const WAIT_MAX_MS = 15000;

export type Rendering =
  | { state: "loading" }
  | { state: "waiting"; recording: Recording; status: Recording["status"] }
  | { state: "failed"; recording: Recording | null; error: string }
  | { state: "ready"; recording: Recording; manifest: Manifest };

/**
 * The recording and its manifest; while it renders, asked again with backoff. `refresh()`
 * fetches the manifest anew: its presigned URLs expire, the decoded tiles do not.
 */
export function useSpectrogram(api: ApiClient, recordingId: string) {
  const [rendering, setRendering] = useState<Rendering>({ state: "loading" });

  const readManifest = useCallback(async () => {
    const answer = await api.getSpectrogram(recordingId);
    return "status" in answer ? null : answer;
  }, [api, recordingId]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (attempt: number) => {
      try {
        const recording = await api.getRecording(recordingId);
        const manifest = await readManifest();
        if (stopped) return;
        if (manifest) {
          setRendering({ state: "ready", recording, manifest });
          return;
        }
        setRendering({ state: "waiting", recording, status: recording.status });
        timer = setTimeout(() => void load(attempt + 1), backoffDelay(attempt, WAIT_FIRST_MS, WAIT_MAX_MS));
      } catch (failure) {
        if (stopped) return;
        // A FAILED rendering answers 409 with the server's sentence.
        const error = failure instanceof ApiError ? failure.message : String(failure);
        setRendering({ state: "failed", recording: null, error });
      }
    };
    void load(0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, recordingId, readManifest]);

  // The manifest read again for its fresh URLs (tiles and audio), shown and returned.
  const refresh = useCallback(async (): Promise<Manifest> => {
    const manifest = await readManifest();
    if (!manifest) throw new Error("the spectrogram is being rendered again: reload the page when it is done");
    setRendering((now) => (now.state === "ready" ? { ...now, manifest } : now));
    return manifest;
  }, [readManifest]);

  return { rendering, refresh };
}
