import { Flex, Heading, Link, Text } from "@radix-ui/themes";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { ApiClient } from "../api/client";
import { type ReviewFilters, type ReviewPlace, writePlace, writeReviewPlace } from "../page/link";
import { PrecisionPanel } from "../precision/PrecisionPanel";
import { session } from "../signin/session";
import { sharedDecoder } from "../viewer/Spectrogram";
import { ClipTiles } from "./clipTiles";
import { type Choices, FilterBar } from "./FilterBar";
import { fitGrid } from "./grid";
import { Outbox } from "./outbox";
import { Queue } from "./Queue";
import { type ReviewApi, reviewApi, type Scope } from "./queue";
import type { ReviewItem } from "../api/types";
import type { ReviewNames } from "./names";
import "./review.css";

/** Room above the grid inside its section (the progress line), and below it, CSS px. */
const ABOVE_GRID_PX = 48;
const BELOW_GRID_PX = 16;
/** Under each clip: label, confidence, state and where the box is. */
const CAPTION_PX = 58;
const GAP_PX = 8;

/** The review queue: filters, progress, a grid of clips, decisions by key that save themselves. */
export function ReviewPage({ api, names, place }: { api: ApiClient; names: ReviewNames | null; place: ReviewPlace }) {
  if (!names) {
    return (
      <main className="review-page">
        <p role="alert">This server has no review queue (its /config.json names no review).</p>
      </main>
    );
  }
  return <Review api={api} names={names} place={place} />;
}

function Review({ api, names, place }: { api: ApiClient; names: ReviewNames; place: ReviewPlace }) {
  const [filters, setFilters] = useState<ReviewFilters>(place.filters);
  const [choices, setChoices] = useState<Choices>({ labels: [], sources: [] });
  // Bulk accepts (and their undos) from the precision panel: each reads the queue again.
  const [bulkActions, setBulkActions] = useState(0);
  const review = useMemo(() => reviewApi(api), [api]);
  const scope = useMemo<Scope>(
    () =>
      place.projectId === null
        ? { projectId: null, recordingId: place.recordingId ?? "" }
        : { projectId: place.projectId, recordingId: place.recordingId },
    [place.projectId, place.recordingId],
  );
  const outbox = useOutbox(review.decide, names.maxDecisions);
  const saving = useSyncExternalStore(outbox.subscribe, outbox.snapshot);
  const [tiles] = useState(
    () =>
      new ClipTiles(async (recordingId) => {
        const answer = await api.getSpectrogram(recordingId);
        if ("status" in answer) throw new Error(`the spectrogram of ${recordingId} is ${answer.status}`);
        return answer;
      }, sharedDecoder()),
  );
  useEffect(() => () => tiles.stop(), [tiles]);
  const [room, measure] = useRoom();
  const layout = useMemo(
    () => room && clipLayout(room.width, room.height - ABOVE_GRID_PX - BELOW_GRID_PX, names.defaults.maxLimit),
    [room, names.defaults.maxLimit],
  );

  // The URL follows the filters, so a reload or a link opens the same queue.
  useEffect(() => {
    const search = writeReviewPlace({ ...place, filters });
    if (search !== window.location.search) window.history.replaceState(null, "", search);
  }, [place, filters]);

  const open = useCallback(
    (item: ReviewItem) => {
      outbox.flush();
      // The box in the middle third of the viewer's width.
      const spanS = Math.max(item.end_s - item.start_s, 0.5);
      const startS = Math.max(0, item.start_s - spanS);
      window.location.assign(writePlace({ recordingId: item.recording_id, startS, pxPerS: window.innerWidth / (3 * spanS) }));
    },
    [outbox],
  );

  return (
    <main className="review-page">
      <Flex align="baseline" gap="4" wrap="wrap">
        <Link href="./">← All recordings</Link>
        <Heading as="h1" size="5">
          Review
        </Heading>
        <Text role="status" size="2" color={saving.problem ? "red" : "gray"}>
          {saving.pending === 0
            ? "All decisions saved"
            : `Saving ${saving.pending} decision${saving.pending === 1 ? "" : "s"}…${saving.problem ? ` (trying again: ${saving.problem})` : ""}`}
        </Text>
      </Flex>
      <FilterBar names={names} filters={filters} choices={choices} onChange={setFilters} />
      <div className="review-layout">
        <section className="review-queue" aria-label="Clips" ref={measure}>
          {layout && (
            <Queue
              // Read again from the first page when the filters, the fit or a bulk accept changes it.
              key={`${JSON.stringify(filters)} ${layout.grid.pageSize} ${bulkActions}`}
              api={review}
              scope={scope}
              filters={filters}
              grid={layout.grid}
              clipPx={layout.clip}
              largePx={layout.large}
              outbox={outbox}
              tiles={tiles}
              onChoices={setChoices}
              onOpen={open}
            />
          )}
        </section>
        {place.projectId !== null && (
          <aside className="review-precision" aria-label="Precision">
            <PrecisionPanel
              api={api}
              projectId={place.projectId}
              label={filters.label}
              source={filters.source}
              version={saving.saved}
              onChanged={() => setBulkActions((n) => n + 1)}
            />
          </aside>
        )}
      </div>
    </main>
  );
}

/** One outbox for the page, on localStorage; what an earlier load left is sent at once. */
function useOutbox(send: ReviewApi["decide"], maxDecisions: number): Outbox {
  const [outbox] = useState(
    () =>
      new Outbox({
        send,
        storage: window.localStorage,
        reviewer: session.username() ?? "",
        batchSize: Math.min(20, maxDecisions),
      }),
  );
  useEffect(() => {
    // Hidden or closing: what waits goes now (a small body is sent with keepalive).
    const hidden = () => outbox.flush();
    window.addEventListener("pagehide", hidden);
    return () => {
      window.removeEventListener("pagehide", hidden);
      outbox.stop();
    };
  }, [outbox]);
  return outbox;
}

/**
 * The room the clips have: the section's width, and the window's height below its top. Measured
 * again once a resize stops, since each new fit reads the queue again.
 */
function useRoom(): [{ width: number; height: number } | null, (section: HTMLElement | null) => void] {
  const [room, setRoom] = useState<{ width: number; height: number } | null>(null);
  const [section, measure] = useState<HTMLElement | null>(null);
  useEffect(() => {
    if (!section) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      const box = section.getBoundingClientRect();
      setRoom((now) => {
        const next = { width: Math.floor(box.width), height: Math.floor(window.innerHeight - box.top - window.scrollY) };
        return now && next.width === now.width && next.height === now.height ? now : next;
      });
    };
    read();
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(read, 300);
    });
    observer.observe(section);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [section]);
  return [room, measure];
}

/** The grid for this much room: how many clips, and each one's plot size. */
function clipLayout(roomWidth: number, roomHeight: number, maxLimit: number) {
  const width = Math.max(roomWidth, 200);
  const height = Math.max(roomHeight, 300);
  const fitted = fitGrid(width, height);
  const grid = { ...fitted, pageSize: Math.min(fitted.pageSize, maxLimit) };
  const clipWidth = Math.floor((width - GAP_PX * (grid.columns - 1)) / grid.columns);
  const clipHeight = Math.max(60, Math.floor((height - GAP_PX * (grid.rows - 1)) / grid.rows) - CAPTION_PX);
  return {
    grid,
    clip: { width: clipWidth, height: clipHeight },
    large: { width: Math.min(width, 1200), height: Math.max(200, height - CAPTION_PX - 80) },
  };
}
