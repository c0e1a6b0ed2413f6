import { useEffect, useRef, useState } from "react";
import type { ApiClient } from "../api/client";
import type { Manifest, Recording } from "../api/types";
import { openingView } from "../viewer/limits";
import type { View } from "../viewer/view";
import { Viewer } from "../viewer/Viewer";
import { writePlace, type Place } from "./link";
import { useSpectrogram } from "./useSpectrogram";

/** The plot's height in CSS px: the tiles' own 400 rows, one to one. */
const PLOT_HEIGHT_PX = 400;
/** replaceState more often than this is throttled by browsers; the URL can lag a little. */
const URL_EVERY_MS = 300;

/** One recording: its spectrogram to explore, listen to and annotate. */
export function RecordingPage({ api, place }: { api: ApiClient; place: Place }) {
  const { rendering, refresh } = useSpectrogram(api, place.recordingId);
  return (
    <main className="recording-page">
      <nav>
        <a href="./">← All recordings</a>
      </nav>
      {rendering.state === "loading" && <p>Loading…</p>}
      {rendering.state === "waiting" && (
        <p role="status">
          {rendering.recording.filename}: {rendering.status.toLowerCase()}; the spectrogram opens when it is rendered.
        </p>
      )}
      {rendering.state === "failed" && <p role="alert">{rendering.error}</p>}
      {rendering.state === "ready" && (
        <Explorer recording={rendering.recording} manifest={rendering.manifest} place={place} onStale={refresh} />
      )}
    </main>
  );
}

function Explorer({
  recording,
  manifest,
  place,
  onStale,
}: {
  recording: Recording;
  manifest: Manifest;
  place: Place;
  onStale: () => Promise<void>;
}) {
  const [view, setView] = useState<View>(() => placedView(manifest, place));
  // Without a zoom in the link the whole recording is shown, once the plot's width is known.
  const fitted = useRef(place.pxPerS !== undefined);
  const changeView = (next: View) => {
    if (!fitted.current && next.widthPx !== view.widthPx) {
      fitted.current = true;
      setView(openingView(manifest, next.widthPx, next.heightPx));
    } else setView(next);
  };
  useUrlFollows(recording.id, view);
  return (
    <>
      <h1>{recording.filename}</h1>
      <Viewer
        key={recording.id}
        manifest={manifest}
        view={view}
        onViewChange={changeView}
        label={recording.filename}
        onTileFailed={() => void onStale()}
      />
    </>
  );
}

/** The link's view where it gave one, the whole recording otherwise. */
function placedView(manifest: Manifest, place: Place): View {
  const opening = openingView(manifest, window.innerWidth, PLOT_HEIGHT_PX);
  return {
    ...opening,
    startS: place.startS ?? opening.startS,
    pxPerS: place.pxPerS ?? opening.pxPerS,
    fMinHz: place.fMinHz ?? opening.fMinHz,
    fMaxHz: place.fMaxHz ?? opening.fMaxHz,
  };
}

function useUrlFollows(recordingId: string, view: View): void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const search = writePlace({ recordingId, ...view });
      if (search !== window.location.search) window.history.replaceState(null, "", search);
    }, URL_EVERY_MS);
    return () => clearTimeout(timer.current);
  }, [recordingId, view]);
}
