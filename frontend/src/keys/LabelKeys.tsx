import { Button, Flex, Kbd, Popover, Text, TextField } from "@radix-ui/themes";
import { Tags } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import type { Project } from "../api/types";
import { boundKeys, fieldsOf, labelKeysOf, MAX_LABEL } from "./labelKeys";
import type { LabelKeysApi } from "./useViewerKeys";
import "./keys.css";

/**
 * A project's label keys: nine fields, **Key 1** to **Key 9**, each the label that digit
 * gives the selected box in the viewer (empty: none), saved together (PATCH /projects/{id});
 * the server's refusal is shown as it words it.
 */
export function LabelKeysEditor({
  api,
  projectId,
  onSaved,
}: {
  api: LabelKeysApi;
  projectId: string;
  onSaved?: (project: Project) => void;
}) {
  const [fields, setFields] = useState<string[] | null>(null);
  const [status, setStatus] = useState("");
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    let current = true;
    api.getProject(projectId).then(
      (project) => current && setFields(fieldsOf(project.label_keys)),
      (failure: unknown) => current && setStatus(`The label keys could not be read: ${words(failure)}`),
    );
    return () => {
      current = false;
    };
  }, [api, projectId]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!fields) return;
    setSaving(true);
    setStatus("Saving…");
    try {
      const project = await api.changeLabelKeys(projectId, labelKeysOf(fields));
      setFields(fieldsOf(project.label_keys));
      setStatus("Label keys saved.");
      onSaved?.(project);
    } catch (failure) {
      setStatus(`Not saved: ${words(failure)}`);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="label-keys-editor" aria-label="Label keys" onSubmit={(event) => void save(event)}>
      <Text as="p" size="2" color="gray">
        In the viewer, each key gives the selected box its label. Leave a key empty for none.
      </Text>
      {fields === null && !status && <Text size="2">Loading…</Text>}
      {fields && (
        <div className="label-key-fields">
          {fields.map((value, i) => (
            <label key={i}>
              <Text size="2">Key {i + 1}</Text>
              <TextField.Root
                size="1"
                value={value}
                maxLength={MAX_LABEL}
                onChange={(event) => {
                  const next = [...fields];
                  next[i] = event.target.value;
                  setFields(next);
                  setStatus("");
                }}
              />
            </label>
          ))}
        </div>
      )}
      <Flex gap="3" align="center" mt="2">
        <Button type="submit" size="1" highContrast disabled={fields === null || saving}>
          Save label keys
        </Button>
        <Text size="2" role="status">
          {status}
        </Text>
      </Flex>
    </form>
  );
}

/** **Label keys**: a button opening the project's editor beside it. */
export function LabelKeysButton({
  api,
  projectId,
  onSaved,
}: {
  api: LabelKeysApi;
  projectId: string;
  onSaved?: (project: Project) => void;
}) {
  return (
    <Popover.Root>
      <Popover.Trigger>
        <Button type="button" size="1" variant="soft" highContrast>
          <Tags size={14} aria-hidden /> Label keys
        </Button>
      </Popover.Trigger>
      <Popover.Content width="380px" aria-label="Label keys">
        <LabelKeysEditor api={api} projectId={projectId} onSaved={onSaved} />
      </Popover.Content>
    </Popover.Root>
  );
}

/** The keys that give a label, as the toolbar and the help show them; a sentence when none do. */
export function LabelKeysLegend({ labelKeys, none }: { labelKeys: readonly (string | null)[]; none: string }) {
  const bound = boundKeys(labelKeys);
  if (bound.length === 0) return <Text size="2" color="gray">{none}</Text>;
  return (
    <ul className="label-keys-legend" aria-label="Label keys">
      {bound.map(({ digit, label }) => (
        <li key={digit}>
          <Kbd>{digit}</Kbd> {label}
        </li>
      ))}
    </ul>
  );
}

function words(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
