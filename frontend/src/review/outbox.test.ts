import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client";
import { FakeReviewServer, item, offline } from "./fakeServer";
import { keyOf, type KeptText, Outbox } from "./outbox";
import type { Decision, DecisionResult } from "../api/types";

class MemoryStorage implements KeptText {
  readonly texts = new Map<string, string>();
  getItem(key: string) {
    return this.texts.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.texts.set(key, value);
  }
}

const accept = (id: string): Decision => ({ recording_id: "r1", annotation_id: id, state: "accepted" });
const kept = (storage: MemoryStorage) => JSON.parse(storage.getItem(keyOf("ana")) ?? "[]") as Decision[];

describe("the review outbox", () => {
  let server: FakeReviewServer;
  let storage: MemoryStorage;
  beforeEach(() => {
    vi.useFakeTimers();
    server = new FakeReviewServer(["a", "b", "c"].map((id) => item(id)));
    storage = new MemoryStorage();
  });
  afterEach(() => vi.useRealTimers());

  const outbox = () => new Outbox({ send: (d) => server.decide(d), storage, reviewer: "ana" });

  it("keeps each decision in storage at once and sends those of a short while in one batch", async () => {
    const box = outbox();
    box.add(accept("a"));
    box.add(accept("b"));
    expect(kept(storage)).toEqual([accept("a"), accept("b")]);
    expect(box.snapshot().pending).toBe(2);
    await vi.advanceTimersByTimeAsync(249);
    expect(server.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.batches).toEqual([[accept("a"), accept("b")]]);
    expect(box.snapshot()).toEqual({ pending: 0, saved: 2, problem: null });
    expect(kept(storage)).toEqual([]);
  });

  it("sends a full batch without waiting, and the rest after", async () => {
    server.boxes = Array.from({ length: 25 }, (_, i) => item(`b${i}`));
    const box = new Outbox({ send: (d) => server.decide(d), storage, reviewer: "ana", batchSize: 20 });
    for (let i = 0; i < 25; i++) box.add(accept(`b${i}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(server.batches.map((b) => b.length)).toEqual([20]);
    await vi.advanceTimersByTimeAsync(250);
    expect(server.batches.map((b) => b.length)).toEqual([20, 5]);
    expect(box.snapshot().saved).toBe(25);
  });

  it("sends after a reload what the closed page left, including a batch whose answer never came", async () => {
    const first = new Outbox({ send: () => new Promise(() => undefined), storage, reviewer: "ana" });
    first.add(accept("a"));
    await vi.advanceTimersByTimeAsync(250); // on its way when the tab closes
    first.add(accept("b"));
    first.stop();
    expect(kept(storage)).toEqual([accept("a"), accept("b")]);

    const reloaded = outbox();
    expect(reloaded.snapshot().pending).toBe(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.batches).toEqual([[accept("a"), accept("b")]]);
    expect(server.boxes.map((b) => b.review?.state ?? null)).toEqual(["accepted", "accepted", null]);
    expect(kept(storage)).toEqual([]);
  });

  it("keeps each reviewer's unsent decisions apart: another user on this browser never sends them", async () => {
    const first = new Outbox({ send: () => new Promise(() => undefined), storage, reviewer: "ana" });
    first.add(accept("a"));
    first.stop();
    const other = new Outbox({ send: (d) => server.decide(d), storage, reviewer: "bo" });
    expect(other.snapshot().pending).toBe(0);
    await vi.advanceTimersByTimeAsync(500);
    expect(server.batches).toEqual([]);
    expect(outbox().snapshot().pending).toBe(1);
  });

  it("tries a failed send again, waiting longer each time, and keeps the decisions meanwhile", async () => {
    server.failNext = [offline(), offline(), new ApiError(503, "busy")];
    const box = outbox();
    box.add(accept("a"));
    await vi.advanceTimersByTimeAsync(250);
    expect(box.snapshot().problem).toMatch(/could not reach the API/);
    expect(box.snapshot().pending).toBe(1);
    await vi.advanceTimersByTimeAsync(500); // 2nd try after 0.5 s
    expect(server.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(server.batches).toHaveLength(2); // 3rd waits 1 s
    await vi.advanceTimersByTimeAsync(1);
    expect(server.batches).toHaveLength(3);
    expect(kept(storage)).toEqual([accept("a")]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.batches).toHaveLength(4);
    expect(box.snapshot()).toEqual({ pending: 0, saved: 1, problem: null });
  });

  it("reports a decision the server refused (the box was deleted) and does not send it again", async () => {
    const box = outbox();
    const results: DecisionResult[] = [];
    box.onResult((r) => results.push(r));
    box.add(accept("gone"));
    box.add(accept("a"));
    await vi.advanceTimersByTimeAsync(250);
    expect(results).toEqual([
      { recording_id: "r1", annotation_id: "gone", ok: false, error: "the box was deleted" },
      expect.objectContaining({ annotation_id: "a", ok: true }),
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.batches).toHaveLength(1);
    expect(box.snapshot().pending).toBe(0);
    // A queue page read meanwhile may predate the saved one; the refused one is no decision.
    expect(box.decided()).toEqual([accept("a")]);
  });

  it("gives up on a batch the API refuses as a whole, naming why on each decision", async () => {
    server.failNext = [new ApiError(400, "decisions: at most 500")];
    const box = outbox();
    const results: DecisionResult[] = [];
    box.onResult((r) => results.push(r));
    box.add(accept("a"));
    await vi.advanceTimersByTimeAsync(250);
    expect(results).toEqual([{ recording_id: "r1", annotation_id: "a", ok: false, error: "decisions: at most 500" }]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.batches).toHaveLength(1);
  });

  it("sends only the last of a box's decisions still waiting, and one made while the first is on its way after it", async () => {
    const box = outbox();
    box.add(accept("a"));
    box.add({ ...accept("a"), state: "rejected" });
    expect(kept(storage)).toEqual([{ ...accept("a"), state: "rejected" }]);
    await vi.advanceTimersByTimeAsync(250);
    expect(server.batches).toEqual([[{ ...accept("a"), state: "rejected" }]]);

    server.failNext = [offline()];
    box.add(accept("b"));
    await vi.advanceTimersByTimeAsync(250); // fails; b waits to be tried again
    box.add({ ...accept("b"), state: null }); // undone meanwhile: the undo replaces it
    await vi.advanceTimersByTimeAsync(500);
    expect(server.batches.at(-1)).toEqual([{ ...accept("b"), state: null }]);
    expect(server.boxes[1].review).toBeNull();
  });

  it("ignores what it cannot read in storage", () => {
    storage.setItem(keyOf("ana"), "{not json");
    expect(outbox().snapshot().pending).toBe(0);
    storage.setItem(keyOf("ana"), JSON.stringify([accept("a"), { annotation_id: 3 }]));
    expect(outbox().unsent()).toEqual([accept("a")]);
  });
});
