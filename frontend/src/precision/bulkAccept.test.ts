import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { BulkAccept } from "./bulkAccept";
import { FakeReviewServer, type ScoredBox } from "./fakeServer";
import { acceptOffer } from "./table";

const box = (id: string, recording: string, confidence: number, source: string | null = "birdnet", label = "Wren"): ScoredBox => ({
  id,
  recording,
  label,
  confidence,
  source,
  review: null,
});

function opened(boxes: ScoredBox[]) {
  const server = new FakeReviewServer(boxes);
  const actions = new BulkAccept(server, "p1");
  const seen: boolean[] = [];
  actions.subscribe(() => seen.push(actions.getSnapshot().busy));
  return { server, actions, seen, now: actions.getSnapshot, state: (id: string) => boxes.find((b) => b.id === id)!.review?.state ?? null };
}

const OFFER = { label: "Wren", threshold: 0.7, unreviewed: 3 };

describe("BulkAccept", () => {
  it("accepts the label's unreviewed boxes at or above the threshold and says how many, where", async () => {
    const { actions, now, state, seen } = opened([box("a", "r1", 0.9), box("b", "r2", 0.7), box("c", "r2", 0.69), box("d", "r1", 0.95, null, "Robin")]);
    await expect(actions.accept(OFFER)).resolves.toBe(true);
    expect(["a", "b", "c", "d"].map(state)).toEqual(["accepted", "accepted", null, null]);
    expect(now().note).toEqual({ text: "Accepted 2 boxes of Wren at ≥ 0.70 in 2 recordings.", error: false });
    expect(now().last).toMatchObject({ label: "Wren", threshold: 0.7, accepted: 2 });
    expect(seen).toEqual([true, false]);
  });

  it("sends the panel's source along, so only that source's boxes are accepted", async () => {
    const { actions, state } = opened([box("a", "r1", 0.9, "birdnet"), box("b", "r1", 0.9, "detector:Wren")]);
    await actions.accept(OFFER, "detector");
    expect([state("a"), state("b")]).toEqual([null, "accepted"]);
  });

  it("undoes the last accept only, leaving earlier decisions as they are", async () => {
    const { actions, server, now, state } = opened([box("a", "r1", 0.9), box("b", "r1", 0.5), box("c", "r1", 0.95, "birdnet", "Robin")]);
    await actions.accept({ label: "Robin", threshold: 0.9, unreviewed: 1 });
    await actions.accept({ ...OFFER, threshold: 0.5 });
    await expect(actions.undo()).resolves.toBe(true);
    expect([state("a"), state("b"), state("c")]).toEqual([null, null, "accepted"]);
    expect(now().last).toBeNull();
    expect(now().note?.text).toBe("Undone: 2 boxes of Wren unreviewed again.");
    // Nothing left to undo: no request goes out.
    await expect(actions.undo()).resolves.toBe(false);
    expect(server.requests.filter((r) => r.startsWith("undo"))).toHaveLength(1);
  });

  it("says when some boxes were decided between the accept and its undo", async () => {
    const { actions, server, now } = opened([box("a", "r1", 0.9), box("b", "r1", 0.8)]);
    await actions.accept(OFFER);
    server.boxes[0].review = { state: "rejected", by: "bo", at: "2026-12-07T16:00:00.000000Z" };
    await actions.undo();
    expect(now().note?.text).toBe("Undone: 1 box of Wren unreviewed again; 1 decided since then stay as decided.");
  });

  it("keeps the action after a failed undo, so Undo can be tried again", async () => {
    const { actions, server, now, state } = opened([box("a", "r1", 0.9)]);
    await actions.accept(OFFER);
    server.failNext.push(new ApiError(503, "The API is busy."));
    await expect(actions.undo()).resolves.toBe(false);
    expect(now()).toMatchObject({ busy: false, note: { text: "The API is busy.", error: true } });
    expect(now().last).not.toBeNull();
    await actions.undo();
    expect(state("a")).toBeNull();
  });

  it("shows a refused accept in the server's words and changes nothing", async () => {
    const { actions, server, now } = opened([box("a", "r1", 0.9)]);
    server.failNext.push(new ApiError(400, "min_confidence must be between 0 and 1."));
    await expect(actions.accept(OFFER)).resolves.toBe(false);
    expect(now()).toEqual({ busy: false, last: null, note: { text: "min_confidence must be between 0 and 1.", error: true } });
  });

  it("takes one action at a time: a second click while the first is on its way does nothing", async () => {
    const { actions, server } = opened([box("a", "r1", 0.9)]);
    const first = actions.accept(OFFER);
    await expect(actions.accept(OFFER)).resolves.toBe(false);
    await first;
    expect(server.requests).toEqual(["accept p1"]);
  });

  it("leaves no offer for the label once the table is read again", async () => {
    const { actions, server } = opened([box("a", "r1", 0.9), box("b", "r1", 0.8)]);
    server.boxes[0].review = { state: "accepted", by: "ann", at: "2026-12-07T14:00:00.000000Z" };
    const before = (await server.getPrecision("p1")).labels[0];
    expect(acceptOffer(before)).toEqual({ label: "Wren", threshold: 0.1, unreviewed: 1 });
    await actions.accept(acceptOffer(before)!);
    expect(acceptOffer((await server.getPrecision("p1")).labels[0])).toBeNull();
    await actions.undo();
    expect(acceptOffer((await server.getPrecision("p1")).labels[0])).toEqual(acceptOffer(before));
  });
});
