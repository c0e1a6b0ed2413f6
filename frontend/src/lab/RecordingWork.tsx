import { RadioGroup, Text } from "@radix-ui/themes";
import { EyeOff } from "lucide-react";
import { useEffect, useId, useState } from "react";
import type { LabApi } from "./labApi";
import type { Assignment, AssignmentState, Member, Recording } from "../api/types";
import { STATE_WORDS, STATES } from "./workProgress";
import "./lab.css";

/**
 * The caller in a recording's project: their member row, to show only what their role may do.
 * Undefined while the project's members are being read; null outside any project (the uploader
 * alone sees the recording and is its owner) and when the members could not be read.
 */
export function useMembership(api: Pick<LabApi, "members">, recording: Recording): Member | null | undefined {
  const projectId = recording.project_id ?? null;
  const [you, setYou] = useState<{ of: string; member: Member | null } | null>(null);
  useEffect(() => {
    if (projectId === null) return;
    let current = true;
    api.members(projectId).then(
      (answer) => current && setYou({ of: projectId, member: answer.you }),
      // Unread, the page offers everything as before; the server still refuses what the role cannot.
      () => current && setYou({ of: projectId, member: null }),
    );
    return () => {
      current = false;
    };
  }, [api, projectId]);
  if (projectId === null) return null;
  return you?.of === projectId ? you.member : undefined;
}

/**
 * **Your work** on this recording, for its assignee: To do, In progress or Done, saved at once
 * (PATCH /recordings/{id}/assignments/{you}); while a blind double annotation is under way
 * (`blindUnderWay`, as the recording's agreement last read it) it says that the boxes shown
 * are the caller's own. `onChanged` follows a change (once both blind assignees are done, the
 * agreement is shown and the set shown changes).
 */
export function RecordingWork({
  api,
  recording,
  you,
  blindUnderWay,
  onChanged,
}: {
  api: Pick<LabApi, "assignments" | "setState">;
  recording: Recording;
  you: Member;
  blindUnderWay: boolean;
  onChanged: () => void;
}) {
  const [assignments, setAssignments] = useState<Assignment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const legend = useId();
  const assigned = recording.assignees.includes(you.username);

  useEffect(() => {
    if (!assigned) return;
    let current = true;
    api.assignments(recording.id).then(
      (answer) => current && setAssignments(answer.assignments),
      (failure: unknown) => current && setError(words(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, recording.id, assigned]);

  const mine = assignments?.find((a) => a.assignee === you.username) ?? null;
  if (!assigned || (!mine && !error)) return null;

  async function change(state: AssignmentState) {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.setState(recording.id, you.username, state);
      setAssignments((all) => all && all.map((a) => (a.assignee === saved.assignee ? saved : a)));
      onChanged();
    } catch (failure) {
      setError(words(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="recording-work">
      {mine && (
        <>
          <Text size="2" id={legend} weight="medium">
            Your work
          </Text>
          <RadioGroup.Root
            size="1"
            aria-labelledby={legend}
            value={mine.state}
            disabled={busy}
            onValueChange={(value) => void change(value as AssignmentState)}
          >
            {STATES.map((s) => (
              <RadioGroup.Item key={s} value={s}>
                {STATE_WORDS[s]}
              </RadioGroup.Item>
            ))}
          </RadioGroup.Root>
        </>
      )}
      {mine?.blind && blindUnderWay && (
        <Text size="1" color="amber" className="blind-mark">
          <EyeOff size={12} aria-hidden="true" /> Blind: you see only your own boxes until both annotators are done.
        </Text>
      )}
      {error && (
        <Text size="1" role="alert">
          {error}
        </Text>
      )}
    </div>
  );
}

const words = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));
