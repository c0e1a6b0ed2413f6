import type { LabApi } from "./labApi";
import type { MembersAnswer, Role } from "../api/types";

export interface MembersState {
  /** The project's members and the caller's own row; null until the first answer. */
  answer: MembersAnswer | null;
  busy: boolean;
  /** What the last change did, or why it (or reading) failed, in the server's words. */
  note: { text: string; error: boolean } | null;
  /** The caller left the project: the page offers the way back to their recordings. */
  left: boolean;
}

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/**
 * A project's members page as a store (read with useSyncExternalStore): add, change a role
 * (owner hands the project over), remove, leave. Each change is read back from the server,
 * which alone decides the order and what a hand-over did to the previous owner.
 */
export class MembersBook {
  private state: MembersState = { answer: null, busy: false, note: null, left: false };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly api: Pick<LabApi, "members" | "addMember" | "changeRole" | "removeMember">,
    private readonly projectId: string,
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.state;

  load = async (): Promise<void> => {
    try {
      this.publish({ answer: await this.api.members(this.projectId) });
    } catch (failure) {
      this.publish({ note: { text: message(failure), error: true } });
    }
  };

  /** True once added: the form empties its field. */
  add = (username: string, role: Role): Promise<boolean> => {
    const name = username.trim();
    if (name === "") {
      this.publish({ note: { text: "Type the member's username first.", error: true } });
      return Promise.resolve(false);
    }
    return this.change(() => this.api.addMember(this.projectId, name, role), role === "owner" ? `${name} is now the owner.` : `Added ${name}.`);
  };

  changeRole = (username: string, role: Role): Promise<boolean> =>
    this.change(() => this.api.changeRole(this.projectId, username, role), role === "owner" ? `${username} is now the owner.` : `${username} is now ${role === "annotator" ? "an" : "a"} ${role}.`);

  /** Removes someone else, or leaves when `username` is the caller's own. */
  remove = async (username: string): Promise<boolean> => {
    const leaving = username === this.state.answer?.you.username;
    if (!leaving) return this.change(() => this.api.removeMember(this.projectId, username), `Removed ${username}.`);
    if (this.state.busy) return false;
    this.publish({ busy: true, note: null });
    try {
      await this.api.removeMember(this.projectId, username);
      this.publish({ busy: false, left: true, answer: null, note: { text: "You left the project.", error: false } });
      return true;
    } catch (failure) {
      this.publish({ busy: false, note: { text: message(failure), error: true } });
      return false;
    }
  };

  private async change(act: () => Promise<unknown>, done: string): Promise<boolean> {
    if (this.state.busy) return false;
    this.publish({ busy: true, note: null });
    try {
      await act();
    } catch (failure) {
      this.publish({ busy: false, note: { text: message(failure), error: true } });
      return false;
    }
    try {
      this.publish({ busy: false, answer: await this.api.members(this.projectId), note: { text: done, error: false } });
    } catch (failure) {
      this.publish({ busy: false, note: { text: `${done} Reading the members again failed: ${message(failure)}`, error: true } });
    }
    return true;
  }

  private publish(change: Partial<MembersState>) {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
