import { useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import type { Annotation } from "../api/types";
import { expose } from "../testhook";
import { statusText } from "./autosave";
import { newPoint } from "./box";
import { type AnnotationsApi, AnnotationStore, type Snapshot } from "./store";

const NONE: readonly string[] = [];

/** A recording's boxes and what can be done with them: what BoxLayer, BoxList and the menus take. */
export type Annotations = Snapshot &
  Pick<
    AnnotationStore,
    | "add"
    | "change"
    | "remove"
    | "select"
    | "editLabel"
    | "undo"
    | "redo"
    | "loadTheirs"
    | "keepMine"
    | "exportFile"
    | "importFile"
    | "reload"
  > & {
    /** The save state as the page words it: "Saved", "Saving…", "Unsaved changes", "Conflict", "Not saved: …". */
    status: string;
  };

/**
 * Loads a recording's boxes and keeps them saved: autosave after a pause and when the page
 * is hidden, undo/redo and delete from the keyboard, M marks a point at `playheadS()` (the
 * playback position, s); a proposal `reviewer` edits becomes theirs, accepted; `computed`
 * names the measurement keys the server computes.
 */
export function useAnnotations(
  api: AnnotationsApi,
  recordingId: string,
  playheadS?: () => number,
  { reviewer = null, computed = NONE }: { reviewer?: string | null; computed?: readonly string[] } = {},
): Annotations {
  const store = useMemo(
    () => new AnnotationStore(api, recordingId, { reviewer: { username: reviewer, now: () => new Date() }, computed }),
    [api, recordingId, reviewer, computed],
  );
  useEffect(() => {
    void store.load();
    return store.close;
  }, [store]);
  useSaveOnLeave(store);
  const playhead = useRef(playheadS);
  useEffect(() => {
    playhead.current = playheadS;
  }, [playheadS]);
  useEditingKeys(store, playhead);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);

  useEffect(() => {
    expose("annotations", {
      boxes: (): Annotation[] => [...store.getSnapshot().boxes],
      status: (): string => statusText(store.getSnapshot().save),
      measuring: (): string[] => [...store.getSnapshot().measuring],
    });
  }, [store]);

  return useMemo(
    () => ({
      ...snapshot,
      status: statusText(snapshot.save),
      add: store.add,
      change: store.change,
      remove: store.remove,
      select: store.select,
      editLabel: store.editLabel,
      undo: store.undo,
      redo: store.redo,
      loadTheirs: store.loadTheirs,
      keepMine: store.keepMine,
      exportFile: store.exportFile,
      importFile: store.importFile,
      reload: store.reload,
    }),
    [snapshot, store],
  );
}

/** Unsaved boxes go out when the tab is hidden or closed; leaving with some asks first. */
function useSaveOnLeave(store: AnnotationStore): void {
  useEffect(() => {
    const hidden = () => {
      if (document.visibilityState === "hidden") void store.flush();
    };
    const leaving = () => void store.flush();
    const unload = (event: BeforeUnloadEvent) => {
      if (store.getSnapshot().save.kind !== "saved") event.preventDefault();
    };
    document.addEventListener("visibilitychange", hidden);
    window.addEventListener("pagehide", leaving);
    window.addEventListener("beforeunload", unload);
    return () => {
      document.removeEventListener("visibilitychange", hidden);
      window.removeEventListener("pagehide", leaving);
      window.removeEventListener("beforeunload", unload);
    };
  }, [store]);
}

/** Where keys belong to the focused control (typing, pressing a button) rather than to the boxes. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.matches("input, textarea, select"));
}

function pressing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.matches("button, a[href], summary, [role=menuitem], [role=button]");
}

/**
 * Ctrl/Cmd+Z undo, Ctrl+Shift+Z or Ctrl+Y redo, Delete/Backspace deletes the selected box,
 * Enter edits its label; M marks a point where the audio is (as Audacity's Ctrl+M), also
 * with a button focused (Play, most often) since no button takes M.
 */
function useEditingKeys(store: AnnotationStore, playhead: { current?: () => number }): void {
  useEffect(() => {
    const keydown = (event: KeyboardEvent) => {
      if (typing(event.target) || event.altKey) return;
      const key = event.key.toLowerCase();
      const command = event.ctrlKey || event.metaKey;
      const { selectedId } = store.getSnapshot();
      const at = playhead.current;
      if (command && (key === "y" || (key === "z" && event.shiftKey))) store.redo();
      else if (command && key === "z") store.undo();
      else if (key === "m" && !command && !event.repeat && at) store.add(newPoint(at()));
      else if (command || pressing(event.target) || selectedId === null) return;
      else if (key === "delete" || key === "backspace") store.remove(selectedId);
      else if (key === "enter") store.editLabel(selectedId);
      else if (key === "escape") store.select(null);
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", keydown);
    return () => window.removeEventListener("keydown", keydown);
  }, [store, playhead]);
}
