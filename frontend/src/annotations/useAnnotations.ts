import { useEffect, useMemo, useSyncExternalStore } from "react";
import type { Annotation } from "../api/types";
import { expose } from "../testhook";
import { statusText } from "./autosave";
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
 * is hidden; a proposal `reviewer` edits becomes theirs, accepted; `computed` names the
 * measurement keys the server computes. The keys that edit them are the viewer's
 * (keys/useViewerKeys.ts).
 */
export function useAnnotations(
  api: AnnotationsApi,
  recordingId: string,
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
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);

  useEffect(() => {
    expose("annotations", {
      boxes: (): Annotation[] => [...store.getSnapshot().boxes],
      status: (): string => statusText(store.getSnapshot().save),
      measuring: (): string[] => [...store.getSnapshot().measuring],
      selectedId: (): string | null => store.getSnapshot().selectedId,
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
