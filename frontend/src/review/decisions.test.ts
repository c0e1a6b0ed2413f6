import { describe, expect, it } from "vitest";
import { decide, type Locals, refused, reviewedNow, shownVerdict, undo, withDecided } from "./decisions";
import { FakeReviewServer, item } from "./fakeServer";

describe("decisions shown before the server has them", () => {
  const none: Locals = new Map();

  it("shows an accept at once and asks the server for exactly that", () => {
    const wren = item("a");
    const made = decide(none, wren, { kind: "accept" });
    expect(shownVerdict(wren, made.locals)).toEqual({ state: "accepted", label: "Wren" });
    expect(made.decision).toEqual({ recording_id: "r1", annotation_id: "a", state: "accepted" });
  });

  it("accepts a relabelled box under its new label, and sends the label", () => {
    const made = decide(none, item("a"), { kind: "relabel", label: "Chaffinch" });
    expect(shownVerdict(item("a"), made.locals)).toEqual({ state: "accepted", label: "Chaffinch" });
    expect(made.decision).toEqual({ recording_id: "r1", annotation_id: "a", state: "accepted", label: "Chaffinch" });
  });

  it("undoes a relabel back to the box as served: unreviewed, its first label", async () => {
    const server = new FakeReviewServer([item("a")]);
    const relabel = decide(none, item("a"), { kind: "relabel", label: "Chaffinch" });
    await server.decide([relabel.decision]);
    expect(server.boxes[0].review?.label_before).toBe("Wren");
    const back = undo(relabel.locals, relabel.step);
    expect(back.decision).toEqual({ recording_id: "r1", annotation_id: "a", state: null, label: "Wren" });
    expect(shownVerdict(item("a"), back.locals)).toEqual({ state: null, label: "Wren" });
    await server.decide([back.decision]);
    expect(server.boxes[0]).toMatchObject({ label: "Wren", review: null });
  });

  it("undoes a change of mind to the first decision, not to unreviewed", () => {
    const accepted = decide(none, item("a"), { kind: "accept" });
    const rejected = decide(accepted.locals, item("a"), { kind: "reject" });
    const back = undo(rejected.locals, rejected.step);
    expect(back.decision).toEqual({ recording_id: "r1", annotation_id: "a", state: "accepted" });
    expect(shownVerdict(item("a"), back.locals).state).toBe("accepted");
  });

  it("moves the progress by each box decided here and back by each undone", () => {
    const served = item("old", { review: { state: "rejected", by: "me", at: null, label_before: null } });
    let locals: Locals = decide(none, item("a"), { kind: "accept" }).locals;
    expect(reviewedNow(5, locals)).toBe(6);
    const again = decide(locals, served, { kind: "accept" }); // already counted by the server
    expect(reviewedNow(5, again.locals)).toBe(6);
    locals = undo(again.locals, again.step).locals;
    const undone = undo(locals, decide(none, item("a"), { kind: "accept" }).step);
    expect(reviewedNow(5, undone.locals)).toBe(5);
  });

  it("lays decisions a closed page left unsent on the boxes they are about", () => {
    const locals = withDecided(none, [item("a"), item("b")], [
      { recording_id: "r1", annotation_id: "b", state: "accepted" },
      { recording_id: "r1", annotation_id: "b", state: "rejected", label: "Robin" },
    ]);
    expect(shownVerdict(item("a"), locals)).toEqual({ state: null, label: "Wren" });
    expect(shownVerdict(item("b"), locals)).toEqual({ state: "rejected", label: "Robin" });
    expect(reviewedNow(0, locals)).toBe(1);
  });

  it("shows the server's refusal on the box until it is decided again", () => {
    const made = decide(none, item("a"), { kind: "accept" });
    const failed = refused(made.locals, "r1/a", "the box was deleted");
    expect(failed.get("r1/a")?.error).toBe("the box was deleted");
    expect(decide(failed, item("a"), { kind: "reject" }).locals.get("r1/a")?.error).toBeUndefined();
  });
});
