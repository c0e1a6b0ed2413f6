/**
 * Who may do what in a project, as the browser shows it: the server decides (chalicelib/access.py)
 * and refuses anyway; the page only hides what a role cannot do, so nobody is offered a refusal.
 */
import type { Member, Project, Role } from "../api/types";

/** Roles as the page says them, in the order the Role select offers them. */
export const ROLE_WORDS: Record<Role, string> = { owner: "Owner", annotator: "Annotator", viewer: "Viewer" };

/** Members, roles, assignments, deletions: the owner's. */
export const canManage = (role: Role | null | undefined): boolean => role === "owner";

/** Uploading, drawing, reviewing, setting one's own work's state: annotators and the owner. */
export const canAnnotate = (role: Role | null | undefined): boolean => role === "owner" || role === "annotator";

/** What the caller may do on one member's row. */
export interface RowChoices {
  /** The Role select is offered (the owner, on anyone else's row). */
  changeRole: boolean;
  /** "Remove" (the owner, someone else), "Leave project" (oneself), or nothing. */
  removal: "Remove" | "Leave project" | null;
  /** Why there is no way out on this row, when that would surprise: the owner's own. */
  note: string | null;
}

export function rowChoices(you: Member, member: Member): RowChoices {
  const yours = member.username === you.username;
  if (yours && you.role === "owner") {
    return { changeRole: false, removal: null, note: "To leave, first make another member the owner." };
  }
  if (yours) return { changeRole: false, removal: "Leave project", note: null };
  const managing = canManage(you.role);
  return { changeRole: managing, removal: managing ? "Remove" : null, note: null };
}

/** The sentence a hand-over asks to confirm: the project has one owner. */
export function handOverQuestion(member: Member): string {
  return `Make ${displayName(member)} the owner? You become an annotator and can no longer manage members.`;
}

/** How a member is called on the page: their cloud name (user name or e-mail) when known. */
export function displayName(member: { username: string; name: string | null }): string {
  return member.name ?? member.username;
}

/** Whom a recording can be assigned to: the project's annotators and its owner. */
export function assignable(members: Member[]): Member[] {
  return members.filter((m) => canAnnotate(m.role));
}

/**
 * The caller's role for what is in `projectId` (null: outside any project, where their own
 * uploads are theirs to manage): the role the project list gave, or null while it is unread
 * or once they are no member.
 */
export function roleIn(projects: Project[], projectId: string | null): Role | null {
  if (projectId === null) return "owner";
  return projects.find((p) => p.id === projectId)?.role ?? null;
}
