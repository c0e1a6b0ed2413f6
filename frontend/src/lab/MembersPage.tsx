import { Badge, Button, Select, Table, Text, TextField } from "@radix-ui/themes";
import { UserPlus } from "lucide-react";
import { type FormEvent, useEffect, useId, useMemo, useState, useSyncExternalStore } from "react";
import { LabHeading, useProject } from "./LabHeading";
import type { LabApi } from "./labApi";
import { canManage, displayName, handOverQuestion, ROLE_WORDS, rowChoices } from "./memberRoles";
import { MembersBook } from "./membersBook";
import type { Member, Role } from "../api/types";
import "./lab.css";

const ROLES = Object.keys(ROLE_WORDS) as Role[];

/**
 * A project's members (`?members=<project id>`): who is in it with which role. The owner adds
 * members by **Member username** with a **Role** (**Add member**), changes roles (Owner hands
 * the project over) and **Remove**s members; anyone else may **Leave project**.
 */
export function MembersPage({ api, projectId, cloud }: { api: LabApi; projectId: string; cloud: boolean }) {
  const book = useMemo(() => new MembersBook(api, projectId), [api, projectId]);
  const state = useSyncExternalStore(book.subscribe, book.getSnapshot);
  const { project, error } = useProject(api, projectId);
  useEffect(() => void book.load(), [book]);
  const you = state.answer?.you;

  return (
    <main className="app-main lab-page">
      <LabHeading title={project ? `Members of ${project.name}` : "Members"} projectId={projectId} other="dashboard" />
      {/* Not a member (or no such project): the members' own read says so too; say it once. */}
      {error && !state.left && !state.note && <p role="alert">{error}</p>}
      {state.left && (
        <p>
          You no longer see this project's recordings. <a href="./">Back to your recordings</a>
        </p>
      )}
      {you && canManage(you.role) && <AddMember book={book} busy={state.busy} cloud={cloud} />}
      {state.note && (
        <Text as="p" size="2" role={state.note.error ? "alert" : "status"} className="lab-note">
          {state.note.text}
        </Text>
      )}
      {state.answer && you && (
        <Table.Root className="members" size="1" variant="surface">
          <caption className="visually-hidden">Members</caption>
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Member</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Role</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Added</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>
                <span className="visually-hidden">Remove</span>
              </Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {state.answer.members.map((member) => (
              <MemberRow key={member.username} book={book} you={you} member={member} busy={state.busy} />
            ))}
          </Table.Body>
        </Table.Root>
      )}
    </main>
  );
}

function AddMember({ book, busy, cloud }: { book: MembersBook; busy: boolean; cloud: boolean }) {
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("annotator");
  const id = useId();

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await book.add(username, role)) setUsername("");
  }

  return (
    <form className="add-member" aria-label="Add a member" onSubmit={(e) => void add(e)}>
      <span className="field-label">
        <label htmlFor={`${id}-username`}>Member username</label>
        <TextField.Root
          id={`${id}-username`}
          size="1"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-describedby={`${id}-hint`}
          autoComplete="off"
          required
        />
      </span>
      <span className="field-label">
        <label htmlFor={`${id}-role`}>Role</label>
        <Select.Root size="1" value={role} onValueChange={(v) => setRole(v as Role)}>
          <Select.Trigger id={`${id}-role`} />
          <Select.Content>
            <RoleOptions />
          </Select.Content>
        </Select.Root>
      </span>
      <Button size="1" type="submit" disabled={busy}>
        <UserPlus size={14} aria-hidden="true" />
        Add member
      </Button>
      <Text as="p" size="1" color="gray" id={`${id}-hint`} className="add-member-hint">
        {cloud
          ? "Their username or the e-mail they signed up with (they must have signed up first)."
          : "Any username: the account is theirs once they sign in with that name."}{" "}
        Choosing Owner hands the project over: you become an annotator.
      </Text>
    </form>
  );
}

function MemberRow({ book, you, member, busy }: { book: MembersBook; you: Member; member: Member; busy: boolean }) {
  // A removal or hand-over waits for a second click, as a recording's deletion does.
  const [confirming, setConfirming] = useState<{ kind: "remove" } | { kind: "owner" } | null>(null);
  const choices = rowChoices(you, member);
  const name = displayName(member);
  const yours = member.username === you.username;
  return (
    <Table.Row>
      <Table.RowHeaderCell>
        {name}
        {yours && (
          <Text size="1" color="gray">
            {" "}
            (you)
          </Text>
        )}
      </Table.RowHeaderCell>
      <Table.Cell>
        {choices.changeRole ? (
          <Select.Root
            size="1"
            value={member.role}
            disabled={busy}
            onValueChange={(v) => (v === "owner" ? setConfirming({ kind: "owner" }) : void book.changeRole(member.username, v as Role))}
          >
            <Select.Trigger aria-label={`Role of ${name}`} variant="soft" />
            <Select.Content>
              <RoleOptions />
            </Select.Content>
          </Select.Root>
        ) : (
          <Badge variant="soft" color={member.role === "owner" ? "indigo" : "gray"} highContrast>
            {ROLE_WORDS[member.role]}
          </Badge>
        )}
      </Table.Cell>
      <Table.Cell>
        <Text size="1" color="gray">
          {member.added_at.slice(0, 10)}
          {member.added_by !== member.username && ` by ${member.added_by}`}
        </Text>
      </Table.Cell>
      <Table.Cell>
        {confirming ? (
          <span className="confirm">
            {confirming.kind === "owner" ? handOverQuestion(member) : yours ? "Leave this project?" : `Remove ${name}?`}{" "}
            <Button
              size="1"
              color={confirming.kind === "owner" ? undefined : "red"}
              highContrast={confirming.kind !== "owner"}
              disabled={busy}
              onClick={() => {
                setConfirming(null);
                void (confirming.kind === "owner" ? book.changeRole(member.username, "owner") : book.remove(member.username));
              }}
            >
              {confirming.kind === "owner" ? "Yes, make owner" : yours ? "Yes, leave" : "Yes, remove"}
            </Button>{" "}
            <Button size="1" variant="soft" color="gray" onClick={() => setConfirming(null)}>
              Keep
            </Button>
          </span>
        ) : choices.removal ? (
          <Button size="1" variant="soft" color="red" disabled={busy} onClick={() => setConfirming({ kind: "remove" })}>
            {choices.removal}
          </Button>
        ) : (
          choices.note && (
            <Text size="1" color="gray">
              {choices.note}
            </Text>
          )
        )}
      </Table.Cell>
    </Table.Row>
  );
}

/** The roles as a Role select offers them. */
function RoleOptions() {
  return ROLES.map((r) => (
    <Select.Item key={r} value={r}>
      {ROLE_WORDS[r]}
    </Select.Item>
  ));
}
