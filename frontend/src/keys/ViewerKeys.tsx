import { Button, Heading, Kbd } from "@radix-ui/themes";
import { Keyboard, Pencil } from "lucide-react";
import { boxWords } from "../annotations/boxKeys";
import { LabelKeysButton, LabelKeysLegend } from "./LabelKeys";
import { ShortcutHelp } from "./ShortcutHelp";
import type { LabelKeysApi, ViewerKeys } from "./useViewerKeys";
import "./keys.css";

/**
 * The viewer's keys made visible: **Draw mode** (as `d`; not for a project's viewer, who
 * draws nothing), the project's label keys with their editor, **Shortcuts** (as `?`) opening
 * the help, and a status a screen reader reads out as Tab selects a box.
 */
export function ViewerKeysBar({
  keys,
  api,
  projectId,
  selectedId,
  annotates,
}: {
  keys: ViewerKeys;
  /** Whether the caller may draw: a project's viewer may not. */
  annotates: boolean;
  api: LabelKeysApi;
  /** The recording's project, whose label keys these are; null when it is in none. */
  projectId: string | null;
  selectedId: string | null;
}) {
  const none = projectId === null ? "No label keys: the recording is in no project." : "No label keys yet.";
  return (
    <div className="viewer-keys">
      {annotates && (
        <Button
          type="button"
          size="1"
          variant={keys.drawMode ? "solid" : "soft"}
          // Radix's accent alone is too faint for small text (axe: colour contrast).
          highContrast
          aria-pressed={keys.drawMode}
          onClick={() => keys.setDrawMode(!keys.drawMode)}
        >
          <Pencil size={14} aria-hidden /> Draw mode
        </Button>
      )}
      <LabelKeysLegend labelKeys={keys.labelKeys} none={keys.labelKeysProblem ?? none} />
      {projectId !== null && (
        <LabelKeysButton api={api} projectId={projectId} onSaved={(project) => keys.setLabelKeys(project.label_keys)} />
      )}
      <Button type="button" size="1" variant="soft" highContrast onClick={() => keys.setHelpOpen(true)}>
        <Keyboard size={14} aria-hidden /> Shortcuts <Kbd size="1">?</Kbd>
      </Button>
      <ShortcutHelp scope="viewer" open={keys.helpOpen} onOpenChange={keys.setHelpOpen}>
        <Heading as="h2" size="2" mt="4" mb="2">
          Label keys
        </Heading>
        <LabelKeysLegend labelKeys={keys.labelKeys} none={none} />
      </ShortcutHelp>
      <p className="visually-hidden" role="status">
        {boxWords(keys.shown, selectedId)}
      </p>
    </div>
  );
}
