import { useEffect, useMemo, useState } from "react";
import type { ApiClient } from "../api/client";
import type { Annotation } from "../api/types";
import { newPoint } from "../annotations/box";
import { BOXES_ATTRIBUTE, boxPlay, labelOfKey, steppedBox, viewShowing } from "../annotations/boxKeys";
import { isProposal } from "../annotations/proposals";
import type { Annotations } from "../annotations/useAnnotations";
import type { Playback } from "../audio/playback";
import type { View } from "../viewer/view";
import { useShortcuts } from "./useShortcuts";

export type LabelKeysApi = Pick<ApiClient, "getProject" | "changeLabelKeys">;

export interface ViewerKeysProps {
  api: LabelKeysApi;
  /** The recording's project, whose label keys 1–9 give; null: in none, so no label keys. */
  projectId: string | null;
  annotations: Annotations;
  playback: Playback;
  /** The recording's length, s: a point marked at the playhead stays within. */
  durationS: number;
  view: View;
  onViewChange: (view: View) => void;
  /** Whether proposals are drawn: Tab steps only through the boxes shown. */
  showProposals: boolean;
}

/** What the viewer's keys change besides the boxes and playback, for the toolbar to show. */
export interface ViewerKeys {
  drawMode: boolean;
  setDrawMode: (on: boolean) => void;
  helpOpen: boolean;
  setHelpOpen: (open: boolean) => void;
  /** The project's label keys (index 0: key 1), [] until read or when it has none. */
  labelKeys: readonly (string | null)[];
  setLabelKeys: (labelKeys: readonly (string | null)[]) => void;
  /** Why the label keys could not be read, or null. */
  labelKeysProblem: string | null;
  /** The boxes Tab steps through, in time order. */
  shown: readonly Annotation[];
}

/** Every key of the viewer (shortcuts.ts, scope "viewer"), bound to the recording's boxes and playback. */
export function useViewerKeys({
  api,
  projectId,
  annotations,
  playback,
  durationS,
  view,
  onViewChange,
  showProposals,
}: ViewerKeysProps): ViewerKeys {
  const [drawMode, setDrawMode] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [labelKeys, setLabelKeys] = useState<readonly (string | null)[]>([]);
  const [labelKeysProblem, setLabelKeysProblem] = useState<string | null>(null);
  useEffect(() => {
    if (projectId === null) return;
    let current = true;
    api.getProject(projectId).then(
      (project) => current && setLabelKeys(project.label_keys),
      (failure: unknown) =>
        current && setLabelKeysProblem(`The label keys could not be read: ${failure instanceof Error ? failure.message : String(failure)}`),
    );
    return () => {
      current = false;
    };
  }, [api, projectId]);

  const shown = useMemo(
    () => (showProposals ? annotations.boxes : annotations.boxes.filter((box) => !isProposal(box))),
    [annotations.boxes, showProposals],
  );
  const selected = shown.find((box) => box.id === annotations.selectedId) ?? null;

  const step = (direction: 1 | -1, event: KeyboardEvent) => {
    if (!(event.target instanceof Element) || !event.target.closest(`[${BOXES_ATTRIBUTE}]`)) return false;
    const box = steppedBox(shown, selected?.id ?? null, direction, view);
    if (!box) return false;
    annotations.select(box.id);
    onViewChange(viewShowing(view, box));
  };

  const playBox = (loop: boolean) => {
    if (!selected) return false;
    const play = boxPlay(selected, loop, playback.snapshot());
    if (play.kind === "stop") playback.pause();
    else if (play.kind === "span") playback.playSpan(play.span);
    else {
      playback.seek(play.seconds);
      void playback.play();
    }
  };

  useShortcuts("viewer", {
    help: () => setHelpOpen((open) => !open),
    play: () => playback.toggle(),
    draw: () => setDrawMode((on) => !on),
    "next-box": (_, event) => step(1, event),
    "previous-box": (_, event) => step(-1, event),
    "play-box": () => playBox(false),
    "loop-box": () => playBox(true),
    "label-key": ({ digit = 0 }) => {
      const label = labelOfKey(labelKeys, digit);
      if (!selected || label === null) return false;
      annotations.change({ ...selected, label });
    },
    "edit-label": () => (selected ? annotations.editLabel(selected.id) : false),
    mark: () => annotations.add(newPoint(Math.min(durationS, playback.clock.now().seconds))),
    "delete-box": () => (selected ? annotations.remove(selected.id) : false),
    deselect: () => {
      if (selected) annotations.select(null);
      else if (drawMode) setDrawMode(false);
      else return false;
    },
    undo: () => annotations.undo(),
    redo: () => annotations.redo(),
  });

  return {
    drawMode,
    setDrawMode,
    helpOpen,
    setHelpOpen,
    labelKeys,
    setLabelKeys,
    labelKeysProblem,
    shown,
  };
}
