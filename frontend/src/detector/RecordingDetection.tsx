import { Button } from "@radix-ui/themes";
import { Radar } from "lucide-react";
import { useEffect, useState } from "react";
import type { ApiClient } from "../api/client";
import type { Detection } from "../api/types";
import type { Recording } from "../api/types";
import "./detector.css";
import { detectionHeadline, followDetection, outcomeWords, underWay } from "./detection";

export type DetectionApi = Pick<ApiClient, "getRecording" | "detectRecording">;

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/**
 * **Run detector** on one recording, and what the detector did: queued, running, done (per
 * preset: proposals, candidates, refused and why) or failed. While it is under way the state
 * is read again with growing pauses; once done, `onDone` shows the new proposals.
 */
export function RecordingDetection({
  api,
  recording,
  onDone,
}: {
  api: DetectionApi;
  recording: Recording;
  onDone: () => void;
}) {
  const [detection, setDetection] = useState<Detection | null>(recording.detection ?? null);
  const [error, setError] = useState<string | null>(null);
  // Each run followed is a round; a detection under way when the page opened (the upload's own
  // run) is the first.
  const [round, setRound] = useState(underWay(recording.detection) ? 1 : 0);

  useEffect(() => {
    if (round === 0) return;
    let following = true;
    followDetection({
      read: async () => (await api.getRecording(recording.id)).detection ?? null,
      onDetection: setDetection,
      following: () => following,
    }).then(
      (last) => following && last?.state === "done" && onDone(),
      (failure: unknown) => following && setError(message(failure)),
    );
    return () => {
      following = false;
    };
  }, [api, recording.id, round, onDone]);

  async function run() {
    setError(null);
    try {
      setDetection((await api.detectRecording(recording.id)).detection);
      setRound((r) => r + 1);
    } catch (failure) {
      setError(message(failure));
    }
  }

  const outcomes = detection?.state === "done" ? Object.entries(detection.presets) : [];
  return (
    <div className="detection">
      <Button
        size="1"
        variant="soft"
        onClick={() => void run()}
        disabled={underWay(detection)}
        title={recording.project_id === null ? "The detector runs a project's presets: move the recording into a project first." : undefined}
      >
        <Radar size={14} aria-hidden="true" />
        Run detector
      </Button>
      {detection && (
        <span role="status" className={`state ${detection.state}`}>
          {detectionHeadline(detection)}
        </span>
      )}
      {outcomes.length > 0 && (
        <ul aria-label="Detector diagnostics">
          {outcomes.map(([name, outcome]) => (
            <li key={name}>
              {name}: {outcomeWords(outcome)}
            </li>
          ))}
        </ul>
      )}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
