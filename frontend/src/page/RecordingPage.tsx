import { Button, Checkbox, Popover, Theme } from "@radix-ui/themes";
import { FileDown, ListChecks } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ApiClient } from "../api/client";
import type { Manifest, Recording } from "../api/types";
import type { MeasurementName } from "../config";
import { BoxLayer } from "../annotations/BoxLayer";
import { BoxList } from "../annotations/BoxList";
import { ExportMenu } from "../annotations/ExportMenu";
import { ImportAnnotations } from "../annotations/ImportAnnotations";
import { paletteOrder } from "../annotations/labelColours";
import { LabelLegend } from "../annotations/LabelLegend";
import { isProposal } from "../annotations/proposals";
import { SaveStatus } from "../annotations/SaveStatus";
import { useAnnotations } from "../annotations/useAnnotations";
import { Cursor } from "../audio/Cursor";
import { Player } from "../audio/Player";
import { usePlayback } from "../audio/usePlayback";
import { AgreementRegion } from "../consensus/AgreementRegion";
import { BothSets } from "../consensus/BothSets";
import { spanOf } from "../consensus/bothSets";
import type { AgreementPair } from "../api/types";
import { useRecordingAgreement } from "../consensus/useRecordingAgreement";
import { RecordingDetection } from "../detector/RecordingDetection";
import { useViewerKeys } from "../keys/useViewerKeys";
import { ViewerKeysBar } from "../keys/ViewerKeys";
import { labApi } from "../lab/labApi";
import { canAnnotate } from "../lab/memberRoles";
import { RecordingWork, useMembership } from "../lab/RecordingWork";
import { viewOnly } from "../lab/viewOnly";
import { session } from "../signin/session";
import { limitsOf, openingView } from "../viewer/limits";
import { clampView, type View } from "../viewer/view";
import { Viewer } from "../viewer/Viewer";
import { centredOn } from "./jump";
import { writePlace, writeReviewPlace, type Place } from "./link";
import { useSpectrogram } from "./useSpectrogram";

/** The plot's height in CSS px: the tiles' own 400 rows, one to one. */
const PLOT_HEIGHT_PX = 400;
/** replaceState more often than this is throttled by browsers; the URL can lag a little. */
const URL_EVERY_MS = 300;

/** One recording: its spectrogram to explore, listen to and annotate. */
export function RecordingPage({
  api,
  place,
  measurements,
}: {
  api: ApiClient;
  place: Place;
  /** The measurements the server computes on every box (/config.json): the box list's columns. */
  measurements: readonly MeasurementName[];
}) {
  const { rendering, refresh } = useSpectrogram(api, place.recordingId);
  return (
    <main className="app-main wide recording-page">
      <nav>
        <a href="./">← All recordings</a>
      </nav>
      {rendering.state === "loading" && <p>Loading…</p>}
      {rendering.state === "waiting" && (
        <p role="status">
          {rendering.recording.filename}: {rendering.status?.toLowerCase() ?? "deleted"}; the spectrogram opens when it is rendered.
        </p>
      )}
      {rendering.state === "failed" && <p role="alert">{rendering.error}</p>}
      {rendering.state === "ready" && (
        <Explorer
          api={api}
          recording={rendering.recording}
          manifest={rendering.manifest}
          place={place}
          measurements={measurements}
          onStale={refresh}
        />
      )}
    </main>
  );
}

function Explorer({
  api,
  recording,
  manifest,
  place,
  measurements,
  onStale,
}: {
  api: ApiClient;
  recording: Recording;
  manifest: Manifest;
  place: Place;
  measurements: readonly MeasurementName[];
  onStale: () => Promise<Manifest>;
}) {
  const [view, setView] = useState<View>(() => placedView(manifest, place, window.innerWidth, PLOT_HEIGHT_PX));
  // The first view guesses the plot's width (the window's), and the plot keeps its views
  // within limits that depend on it: a link's zoom out to the whole recording came back
  // raised. Once the width is known, the view is placed again from the link.
  const sized = useRef(false);
  const changeView = (next: View) => {
    if (!sized.current && next.widthPx !== view.widthPx) {
      sized.current = true;
      setView(placedView(manifest, place, next.widthPx, next.heightPx));
    } else setView(next);
  };
  useUrlFollows(recording.id, view);
  const computed = useMemo(() => measurements.map((m) => m.key), [measurements]);
  const playback = usePlayback({ audioUrl: manifest.audio_url, urlsExpireAt: manifest.urls_expire_at, refresh: onStale });
  const editable = useAnnotations(api, recording.id, { reviewer: session.username(), computed });
  const [follow, setFollow] = useState(true);
  const [showProposals, setShowProposals] = useState(true);
  const lab = useMemo(() => labApi(api), [api]);
  // A viewer of the recording's project sees, listens and exports: no drawing, editing,
  // import or detector run offered.
  const you = useMembership(lab, recording);
  // Until the role is known nothing to edit is offered: a viewer never sees controls the
  // server would refuse.
  const annotates = you === null || (you !== undefined && canAnnotate(you.role));
  const viewer = you != null && !canAnnotate(you.role);
  const annotations = useMemo(() => (annotates ? editable : viewOnly(editable)), [annotates, editable]);
  const keys = useViewerKeys({
    api,
    projectId: recording.project_id,
    annotations,
    playback,
    durationS: manifest.duration_s,
    view,
    onViewChange: setView,
    showProposals,
  });
  const agreement = useRecordingAgreement(api, recording.id, recording.project_id, annotations.reload);
  const showPair = useCallback((pair: AgreementPair) => {
    const { startS, endS } = spanOf(pair);
    setView((now) => centredOn(now, startS, endS));
  }, []);
  // One colour a label: the project's label keys first, so they look the same on every
  // recording; both blind annotators' labels too, so the consensus view colours them alike.
  const labels = useMemo(
    () => paletteOrder(keys.labelKeys, agreement.boxes.length ? [...annotations.boxes, ...agreement.boxes] : annotations.boxes),
    [keys.labelKeys, annotations.boxes, agreement.boxes],
  );
  return (
    <>
      <header className="recording-header">
        <h1>{recording.filename}</h1>
        <SaveStatus annotations={annotations} />
        {/* Setting one's work's state needs annotator or owner: a viewer has no work to set. */}
        {you && annotates && (
          <RecordingWork
            api={lab}
            recording={recording}
            you={you}
            blindUnderWay={agreement.view.kind === "waiting"}
            onChanged={() => void agreement.load()}
          />
        )}
        {viewer && <p className="view-only">You are a viewer of this project: you can see, listen and export, not draw.</p>}
      </header>
      <div className="toolbar">
        <Player playback={playback} durationS={manifest.duration_s} follow={follow} onFollowChange={setFollow} />
        <ExportMenu annotations={annotations} />
        {annotates && (
          <Popover.Root>
            <Popover.Trigger>
              <Button size="1" variant="soft">
                <FileDown size={14} aria-hidden="true" />
                Import…
              </Button>
            </Popover.Trigger>
            <Popover.Content size="1" aria-label="Import boxes">
              <ImportAnnotations annotations={annotations} />
            </Popover.Content>
          </Popover.Root>
        )}
        <label className="field-label show-proposals">
          <Checkbox
            size="1"
            color="plum"
            checked={showProposals}
            onCheckedChange={(checked) => {
              const on = checked === true;
              setShowProposals(on);
              // A hidden proposal must not stay selected: Delete would delete what nobody sees.
              const selected = annotations.boxes.find((box) => box.id === annotations.selectedId);
              if (!on && selected && isProposal(selected)) annotations.select(null);
            }}
          />
          Show proposals
        </label>
        {annotates && <RecordingDetection api={api} recording={recording} onDone={annotations.reload} />}
        <ViewerKeysBar
          keys={keys}
          api={api}
          projectId={recording.project_id}
          selectedId={annotations.selectedId}
          annotates={annotates}
        />
        <Button asChild size="1" variant="soft">
          <a href={writeReviewPlace({ projectId: recording.project_id ?? null, recordingId: recording.id, filters: {} })}>
            <ListChecks size={14} aria-hidden="true" />
            Review
          </a>
        </Button>
      </div>
      <div className="workspace">
      {/* The spectrogram framed dark: its colours read truer there, and so do the boxes'. */}
      <Theme appearance="dark" className="spectrogram-panel">
      <Viewer
        key={recording.id}
        manifest={manifest}
        view={view}
        onViewChange={changeView}
        label={recording.filename}
        onTileFailed={() => void onStale()}
      >
        <BoxLayer
          view={view}
          annotations={annotations}
          durationS={manifest.duration_s}
          fMaxHz={manifest.f_max_hz}
          onSeek={(seconds) => playback.seek(seconds)}
          onPlayBox={(box) => playback.seek(box.start_s)}
          showProposals={showProposals}
          drawMode={keys.drawMode}
          labels={labels}
        />
        <BothSets view={view} agreement={agreement} labels={labels} />
        <Cursor
          view={view}
          clock={playback.clock}
          durationS={manifest.duration_s}
          follow={follow}
          onFollow={(startS) => setView((now) => ({ ...now, startS }))}
        />
      </Viewer>
      <LabelLegend boxes={showProposals ? annotations.boxes : annotations.boxes.filter((box) => !isProposal(box))} labels={labels} />
      </Theme>
      <BoxList
        annotations={annotations}
        onJump={(box) => setView(centredOn(view, box.start_s, box.end_s))}
        measurements={measurements}
        showProposals={showProposals}
        labels={labels}
        annotates={annotates}
      />
      </div>
      <AgreementRegion agreement={agreement} onShow={showPair} />
    </>
  );
}

/** The link's view on a plot this wide where it gave one, the whole recording otherwise. */
function placedView(manifest: Manifest, place: Place, widthPx: number, heightPx: number): View {
  const opening = openingView(manifest, widthPx, heightPx);
  return clampView(
    {
      ...opening,
      startS: place.startS ?? opening.startS,
      pxPerS: place.pxPerS ?? opening.pxPerS,
      fMinHz: place.fMinHz ?? opening.fMinHz,
      fMaxHz: place.fMaxHz ?? opening.fMaxHz,
    },
    limitsOf(manifest),
  );
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
