import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { ApiClient } from "../api/client";
import type { Annotation } from "../api/types";
import { agreementApi } from "./api";
import { sidesOf } from "./bothSets";
import { type AgreementSnapshot, RecordingAgreementStore } from "./recordingAgreement";

/** The recording's agreement, what can be done with it, and how the spectrogram shows it. */
export type RecordingAgreement = AgreementSnapshot &
  Pick<RecordingAgreementStore, "load" | "choose" | "relabel" | "keepAllMatchedAs" | "merge"> & {
    /** Both annotators' boxes drawn over the spectrogram (while the agreement is shown). */
    showBoth: boolean;
    setShowBoth: (show: boolean) => void;
    /** The pair the table last showed, outlined on the spectrogram. */
    current: number | null;
    setCurrent: (index: number | null) => void;
    /** Both sets' boxes: their labels take colours too. */
    boxes: readonly Annotation[];
  };

const NONE: readonly Annotation[] = [];
const NOT_BLIND = { kind: "none" } as const;

/**
 * Reads the agreement of a recording in a project (a private recording has no assignees);
 * `onSetChanged` reloads the page's boxes when the set they come from changed (a merge, the
 * blind layers closing).
 */
export function useRecordingAgreement(
  api: ApiClient,
  recordingId: string,
  projectId: string | null,
  onSetChanged: () => void,
): RecordingAgreement {
  const store = useMemo(() => new RecordingAgreementStore(agreementApi(api), recordingId, onSetChanged), [api, recordingId, onSetChanged]);
  useEffect(() => {
    if (projectId !== null) void store.load();
  }, [store, projectId]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [showBoth, setShowBoth] = useState(true);
  const [current, setCurrent] = useState<number | null>(null);
  const view = projectId === null ? NOT_BLIND : snapshot.view;
  const boxes = useMemo(() => {
    if (view.kind !== "ready") return NONE;
    const { a, b } = sidesOf(view.agreement.pairs);
    return [...a, ...b];
  }, [view]);
  return {
    ...snapshot,
    view,
    load: store.load,
    choose: store.choose,
    relabel: store.relabel,
    keepAllMatchedAs: store.keepAllMatchedAs,
    merge: store.merge,
    showBoth,
    setShowBoth,
    current,
    setCurrent,
    boxes,
  };
}
