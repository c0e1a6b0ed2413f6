import { Button, Checkbox, Dialog, Flex, Text } from "@radix-ui/themes";
import { UserCheck } from "lucide-react";
import { useEffect, useState } from "react";
import { assignedSentence, assignProblem, pick } from "./assigning";
import type { LabApi } from "./labApi";
import { assignable, displayName, ROLE_WORDS } from "./memberRoles";
import type { Member } from "../api/types";

/**
 * **Assign** the recordings chosen in the listing to one or two of the project's annotators
 * (or its owner), optionally as **Blind double annotation**: each of the two sees only their
 * own boxes until both are done. Answers `onAssigned` once the server assigned them.
 */
export function AssignDialog({
  api,
  projectId,
  recordingIds,
  onAssigned,
}: {
  api: Pick<LabApi, "members" | "assign">;
  projectId: string;
  recordingIds: string[];
  onAssigned: (sentence: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [blind, setBlind] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    api.members(projectId).then(
      (answer) => current && setMembers(assignable(answer.members)),
      (failure: unknown) => current && setError(words(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, projectId, open]);

  const request = { recording_ids: recordingIds, assignees: picked, blind };
  const problem = assignProblem(request);

  async function assign() {
    setBusy(true);
    setError(null);
    try {
      await api.assign(projectId, request);
      onAssigned(assignedSentence(recordingIds.length, picked, blind));
      setOpen(false);
      setPicked([]);
      setBlind(false);
    } catch (failure) {
      setError(words(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger>
        <Button size="1" variant="soft">
          <UserCheck size={14} aria-hidden="true" />
          Assign
        </Button>
      </Dialog.Trigger>
      <Dialog.Content maxWidth="440px" size="2">
        <Dialog.Title>Assign recordings</Dialog.Title>
        <Dialog.Description size="2" color="gray">
          {recordingIds.length === 0
            ? "No recording chosen yet."
            : `${recordingIds.length} recording${recordingIds.length === 1 ? "" : "s"} chosen.`}{" "}
          Pick one member, or two for double annotation.
        </Dialog.Description>
        <fieldset className="assign-members">
          <legend>Members</legend>
          {members === null && !error && <Text size="2">Loading…</Text>}
          {members?.map((m) => (
            <Text as="label" size="2" key={m.username}>
              <Checkbox
                checked={picked.includes(m.username)}
                onCheckedChange={(on) => setPicked((now) => pick(now, m.username, on === true))}
              />
              {displayName(m)} ({ROLE_WORDS[m.role].toLowerCase()})
            </Text>
          ))}
        </fieldset>
        <Text as="label" size="2" className="assign-blind">
          <Checkbox checked={blind} onCheckedChange={(on) => setBlind(on === true)} />
          Blind double annotation
        </Text>
        {(error ?? problem) && (
          <Text as="p" size="2" role={error ? "alert" : undefined} color={error ? "red" : "gray"}>
            {error ?? problem}
          </Text>
        )}
        <Flex gap="3" justify="end" mt="3">
          <Dialog.Close>
            <Button size="1" variant="soft" color="gray">
              Cancel
            </Button>
          </Dialog.Close>
          <Button size="1" disabled={problem !== null || busy} onClick={() => void assign()}>
            {busy ? "Assigning…" : `Assign ${recordingIds.length === 1 ? "1 recording" : `${recordingIds.length} recordings`}`}
          </Button>
        </Flex>
      </Dialog.Content>
    </Dialog.Root>
  );
}

const words = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));
