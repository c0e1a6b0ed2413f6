import { describe, expect, it } from "vitest";
import { assignable, canAnnotate, canManage, displayName, roleIn, rowChoices } from "./memberRoles";
import type { Member, Project, Role } from "../api/types";

const m = (username: string, role: Role, name: string | null = null): Member => ({
  username, name, role, added_at: "2026-12-07T18:00:00Z", added_by: "olga",
});

describe("what each role is offered", () => {
  it("lets the owner manage, annotators and the owner annotate, viewers neither", () => {
    expect((["owner", "annotator", "viewer"] as const).map((r) => [canManage(r), canAnnotate(r)])).toEqual([
      [true, true],
      [false, true],
      [false, false],
    ]);
    expect(canManage(null)).toBe(false);
  });

  it("gives the owner a Role select and Remove on everyone else's row", () => {
    expect(rowChoices(m("olga", "owner"), m("ann", "annotator"))).toEqual({ changeRole: true, removal: "Remove", note: null });
  });

  it("gives other members only Leave project, on their own row", () => {
    expect(rowChoices(m("ann", "annotator"), m("ann", "annotator"))).toEqual({ changeRole: false, removal: "Leave project", note: null });
    expect(rowChoices(m("vic", "viewer"), m("ann", "annotator"))).toEqual({ changeRole: false, removal: null, note: null });
  });

  it("tells the owner to hand over before leaving", () => {
    const own = rowChoices(m("olga", "owner"), m("olga", "owner"));
    expect(own.removal).toBeNull();
    expect(own.note).toMatch(/make another member the owner/);
  });

  it("assigns to annotators and the owner, never to viewers", () => {
    expect(assignable([m("olga", "owner"), m("vic", "viewer"), m("ann", "annotator")]).map((x) => x.username)).toEqual(["olga", "ann"]);
  });

  it("calls a cloud member by the name they were added by", () => {
    expect(displayName(m("3f2c-sub", "viewer", "vic@lab.org"))).toBe("vic@lab.org");
    expect(displayName(m("vic", "viewer"))).toBe("vic");
  });
});

describe("the caller's role for a recording in the listing", () => {
  const project = (id: string, role: Role) => ({ id, role }) as Project;

  it("is the project's role, owner of one's own recording outside any, none for a project not listed", () => {
    const projects = [project("p1", "viewer"), project("p2", "owner")];
    expect(roleIn(projects, "p1")).toBe("viewer");
    expect(roleIn(projects, "p2")).toBe("owner");
    expect(roleIn(projects, null)).toBe("owner");
    expect(roleIn(projects, "gone")).toBeNull();
  });
});
