import { Button, Flex, Text } from "@radix-ui/themes";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { ApiError } from "../api/client";
import { ShortcutHelp } from "../keys/ShortcutHelp";
import { shortcutFor } from "../keys/shortcuts";
import type { ReviewFilters } from "../page/link";
import { expose } from "../testhook";
import { planDrawing } from "../viewer/plan";
import { ClipAudio } from "./clipAudio";
import { Clip } from "./Clip";
import { clipView } from "./clip";
import type { ClipTiles } from "./clipTiles";
import { boxKey, type Choice, decide, type Locals, refused, reviewedNow, shownVerdict, type Step, undo, withDecided } from "./decisions";
import type { Choices } from "./FilterBar";
import { type GridFit, moveFocus, nextClip } from "./grid";
import type { Outbox } from "./outbox";
import type { ReviewApi, Scope } from "./queue";
import { Relabel } from "./Relabel";
import type { QueuePage, ReviewItem } from "../api/types";

/** A page of the queue: the cursor it starts at, and the server's answer once read. */
interface Page {
  cursor: string | null;
  answer?: QueuePage;
  error?: string;
}

export interface QueueProps {
  api: ReviewApi;
  scope: Scope;
  filters: ReviewFilters;
  grid: GridFit;
  /** One clip's plot in the grid, CSS px. */
  clipPx: { width: number; height: number };
  /** The one clip of one-clip mode, CSS px. */
  largePx: { width: number; height: number };
  outbox: Outbox;
  tiles: ClipTiles;
  onChoices: (choices: Choices) => void;
  /** Enter: the box in the full viewer. */
  onOpen: (item: ReviewItem) => void;
}

/** Next-page clips load after every clip of the page shown. */
const NEXT_PAGE_PRIORITY = 1000;

/**
 * The queue for one filter (remount it for another): its pages of clips, read by the server's
 * cursor, the next one read (and its tiles loaded) ahead; the focused clip, decisions by key
 * (optimistic, through the outbox), Ctrl+Z, the progress.
 */
export function Queue(props: QueueProps) {
  const { api, scope, filters, grid, outbox, tiles, onChoices } = props;
  const [pages, setPages] = useState<Page[]>([{ cursor: null }]);
  const [at, setAt] = useState(0);
  const [focus, setFocus] = useState(0);
  const [locals, setLocals] = useState<Locals>(new Map());
  const [steps, setSteps] = useState<Step[]>([]);
  const [oneClip, setOneClip] = useState(false);
  const [relabeling, setRelabeling] = useState(false);
  const [help, setHelp] = useState(false);
  const [audioProblem, setAudioProblem] = useState<string | null>(null);
  const [audio] = useState(() => new ClipAudio(setAudioProblem));
  // Through a function of ours: given as the ref itself, React's compiler takes it for a ref object.
  const attachAudio = useCallback((media: HTMLAudioElement | null) => audio.attach(media), [audio]);

  // Read the page shown and the one after it, each once.
  const wanted = [at, at + 1].filter((i) => i < pages.length && !pages[i].answer && !pages[i].error);
  const wantedKey = wanted.map((i) => `${i}:${pages[i].cursor}`).join(" ");
  useEffect(() => {
    let stopped = false;
    for (const i of wanted) {
      const cursor = pages[i].cursor;
      api.queue(scope, filters, { limit: grid.pageSize, cursor }).then(
        (answer) => {
          if (stopped) return;
          setPages((all) => {
            const next = all.map((page, j) => (j === i ? { ...page, answer } : page));
            if (answer.next_cursor && next.length === i + 1) next.push({ cursor: answer.next_cursor });
            return next;
          });
          setLocals((now) => withDecided(now, answer.items, outbox.decided()));
        },
        (failure: unknown) => {
          if (stopped) return;
          const error = failure instanceof ApiError || failure instanceof Error ? failure.message : String(failure);
          setPages((all) => all.map((page, j) => (j === i ? { ...page, error } : page)));
        },
      );
    }
    return () => {
      stopped = true;
    };
    // The pages to read are named by wantedKey; reading again on each render would repeat requests.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wantedKey, api, scope, filters, grid.pageSize, outbox]);

  const first = pages[0].answer;
  useEffect(() => {
    if (first) onChoices({ labels: first.labels, sources: first.sources });
  }, [first, onChoices]);

  // A refused decision shows on its clip, unless a later one on the box is still on its way.
  useEffect(
    () =>
      outbox.onResult((result) => {
        if (result.ok) return;
        const key = boxKey(result);
        if (outbox.unsent().some((d) => boxKey(d) === key)) return;
        setLocals((now) => refused(now, key, result.error));
      }),
    [outbox],
  );

  const page = pages[at];
  const items = useMemo(() => page?.answer?.items ?? [], [page]);
  const focused = items[Math.min(focus, items.length - 1)];

  const goToPage = useCallback(
    (index: number, focusAt: number) => {
      if (index < 0 || index >= pages.length) return;
      setAt(index);
      setFocus(focusAt);
    },
    [pages.length],
  );

  // What the keys act on: the newest of everything, read when a key is pressed.
  const latest = useRef({ items, focus, locals, steps, at, pages, oneClip, relabeling, help, grid });
  useLayoutEffect(() => {
    latest.current = { items, focus, locals, steps, at, pages, oneClip, relabeling, help, grid };
  });

  const advance = useCallback(() => {
    const now = latest.current;
    const next = nextClip(now.focus, now.items.length, now.pages[now.at + 1] !== undefined);
    if (next.page) goToPage(now.at + 1, next.index);
    else setFocus(next.index);
  }, [goToPage]);

  const choose = useCallback(
    (choice: Choice) => {
      const now = latest.current;
      const item = now.items[now.focus];
      if (!item) return;
      const made = decide(now.locals, item, choice);
      setLocals(made.locals);
      setSteps([...now.steps, made.step]);
      outbox.add(made.decision);
      advance();
    },
    [outbox, advance],
  );

  const takeBack = useCallback(() => {
    const now = latest.current;
    const step = now.steps.at(-1);
    if (!step) return;
    const undone = undo(now.locals, step);
    setLocals(undone.locals);
    setSteps(now.steps.slice(0, -1));
    outbox.add(undone.decision);
    const back = now.items.findIndex((item) => boxKey(item) === step.key);
    if (back >= 0) setFocus(back);
  }, [outbox]);

  const { onOpen } = props;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const now = latest.current;
      if (now.relabeling) return;
      const match = shortcutFor(event, "review");
      if (!match) return;
      if (now.help && match.id !== "help") return;
      // Enter and Space on a button or a select are that control's own.
      if ((match.id === "open" || match.id === "play") && ownsKey(event.target)) return;
      event.preventDefault();
      const item = now.items[now.focus];
      switch (match.id) {
        case "help":
          setHelp(!now.help);
          break;
        case "accept":
          choose({ kind: "accept" });
          break;
        case "reject":
          choose({ kind: "reject" });
          break;
        case "relabel":
          if (item) setRelabeling(true);
          break;
        case "skip":
          advance();
          break;
        case "undo":
          takeBack();
          break;
        case "play":
          if (item) void playSpan(audio, tiles, item);
          break;
        case "move":
          setFocus(moveFocus(now.focus, event.key as Parameters<typeof moveFocus>[1], now.oneClip ? 1 : now.grid.columns, now.items.length));
          break;
        case "open":
          if (item) onOpen(item);
          break;
        case "one-clip":
          setOneClip(!now.oneClip);
          break;
        case "next-page":
          goToPage(now.at + 1, 0);
          break;
        case "previous-page":
          goToPage(now.at - 1, 0);
          break;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [choose, advance, takeBack, goToPage, audio, tiles, onOpen]);

  useEffect(() => () => audio.stop(), [audio]);

  // The next page's tiles load behind the page shown, so PageDown (or the last clip's
  // decision) finds them decoded.
  const nextItems = pages[at + 1]?.answer?.items;
  const { clipPx } = props;
  useEffect(() => {
    if (!nextItems) return;
    let stopped = false;
    const release: (() => void)[] = [];
    nextItems.forEach((item, i) => {
      tiles.manifest(item.recording_id).then(
        (manifest) => {
          if (stopped) return;
          const recording = tiles.of(item.recording_id, manifest);
          const view = clipView(item, { durationS: manifest.duration_s, fMaxHz: manifest.f_max_hz }, clipPx.width, clipPx.height);
          const plan = planDrawing(manifest, view, window.devicePixelRatio || 1, (tile) => recording.has(tile));
          const want = `next ${boxKey(item)}`;
          recording.want(want, NEXT_PAGE_PRIORITY + i, plan.load);
          release.push(() => recording.release(want));
        },
        () => undefined,
      );
    });
    return () => {
      stopped = true;
      for (const let_go of release) let_go();
    };
  }, [nextItems, tiles, clipPx]);

  const counts = first?.counts;
  const reviewed = counts ? reviewedNow(counts.reviewed, locals) : 0;
  const focusedId = focused?.annotation_id ?? null;
  useEffect(() => {
    const pageSize = grid.pageSize;
    expose("review", {
      pageSize,
      get focused() {
        return focusedId;
      },
      get drawnClips() {
        return document.querySelectorAll('[data-clip][data-drawn="true"]').length;
      },
      get pending() {
        return outbox.snapshot().pending;
      },
      get saved() {
        return outbox.snapshot().saved;
      },
    });
  }, [grid.pageSize, focusedId, outbox]);

  const shown = oneClip && focused ? [focused] : items;
  const size = oneClip ? props.largePx : clipPx;
  return (
    <>
      <Flex className="review-progress" gap="4" align="center" wrap="wrap">
        {counts && (
          <Text size="3" weight="bold">
            {reviewed} of {counts.boxes} reviewed
          </Text>
        )}
        <Text size="2" color="gray">
          Page {at + 1}
          {page?.answer && page.answer.items.length > 0 && `, clips ${at * grid.pageSize + 1}–${at * grid.pageSize + items.length}`}
        </Text>
        <Button size="1" variant="soft" color="gray" highContrast disabled={at === 0} onClick={() => goToPage(at - 1, 0)}>
          Previous page
        </Button>
        <Button size="1" variant="soft" color="gray" highContrast disabled={!pages[at + 1]} onClick={() => goToPage(at + 1, 0)}>
          Next page
        </Button>
        <Button size="1" variant="ghost" onClick={() => setHelp(true)}>
          Keys (?)
        </Button>
      </Flex>
      {page?.error && <p role="alert">The queue could not be read: {page.error}</p>}
      {page?.answer && items.length === 0 && <p>No boxes match these filters.</p>}
      {!page?.answer && !page?.error && <p>Loading…</p>}
      {audioProblem && <p role="alert">{audioProblem}</p>}
      <div
        className={`review-grid${oneClip ? " one-clip" : ""}`}
        style={{ gridTemplateColumns: `repeat(${oneClip ? 1 : grid.columns}, ${size.width}px)` }}
      >
        {shown.map((item) => {
          const index = items.indexOf(item);
          const local = locals.get(boxKey(item));
          return (
            <Clip
              key={boxKey(item)}
              item={item}
              number={index + 1}
              pageSize={items.length}
              verdict={shownVerdict(item, locals)}
              error={local?.error}
              focused={item === focused}
              widthPx={size.width}
              heightPx={size.height}
              tiles={tiles}
              priority={index}
              onFocus={() => setFocus(index)}
            />
          );
        })}
      </div>
      {relabeling && focused && (
        <Relabel
          labels={first?.labels ?? []}
          onCommit={(label) => {
            setRelabeling(false);
            choose({ kind: "relabel", label });
          }}
          onCancel={() => setRelabeling(false)}
        />
      )}
      <audio ref={attachAudio} preload="metadata" />
      <ShortcutHelp scope="review" open={help} onOpenChange={setHelp} />
    </>
  );
}

async function playSpan(audio: ClipAudio, tiles: ClipTiles, item: ReviewItem): Promise<void> {
  const manifest = await tiles.manifest(item.recording_id);
  await audio.toggle({ audioUrl: manifest.audio_url, startS: item.start_s, endS: item.end_s });
}

/** A control that Enter or Space works itself: a button, a link, a field, a select. */
function ownsKey(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("button, a, input, select, textarea, [role='combobox'], [role='option']") !== null;
}
