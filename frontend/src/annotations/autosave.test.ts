import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client";
import type { Annotation } from "../api/types";
import { Autosave, type SaveState, statusText } from "./autosave";
import { newBox } from "./box";
import { FAKE_USER, FakeServer } from "./fakeServer";

const box = (id: string, start_s: number, label = ""): Annotation => ({
  ...newBox({ start_s, end_s: start_s + 1, low_hz: 1000, high_hz: 2000 }, id),
  label,
});

function autosave(server: FakeServer) {
  const states: SaveState[] = [];
  const saver = new Autosave({
    api: server,
    recordingId: "r1",
    loaded: server.set(),
    onState: (s) => states.push(s),
  });
  return { saver, states, status: () => statusText(saver.current) };
}

const add = (b: Annotation) => [{ id: b.id, before: null, after: b }];
const change = (before: Annotation, after: Annotation) => [{ id: before.id, before, after }];
const remove = (b: Annotation) => [{ id: b.id, before: b, after: null }];

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("what autosave sends", () => {
  it("sends nothing for a box added then deleted before saving", async () => {
    const server = new FakeServer();
    const { saver, status } = autosave(server);
    const a = box("a", 1);
    saver.record(add(a));
    saver.record(remove(a));
    await vi.advanceTimersByTimeAsync(600);
    expect(server.patches).toEqual([]);
    expect(status()).toBe("Saved");
  });

  it("sends a box added and then changed as one upsert of its last value", async () => {
    const server = new FakeServer();
    const { saver } = autosave(server);
    const a = box("a", 1);
    const labelled = box("a", 1, "Erithacus rubecula");
    saver.record(add(a));
    saver.record(change(a, labelled));
    await vi.advanceTimersByTimeAsync(600);
    expect(server.patches).toEqual([{ version: 0, upsert: [labelled], delete: [] }]);
    // Stored signed by whoever saved it.
    expect(server.boxes.get("a")).toEqual({ ...labelled, created_by: FAKE_USER, updated_by: FAKE_USER, updated_at: expect.any(String) });
  });

  it("deletes a saved box by id and sends nothing for a change undone before saving", async () => {
    const a = box("a", 1);
    const b = box("b", 2);
    const server = new FakeServer([a, b]);
    const { saver } = autosave(server);
    const moved = box("b", 5);
    saver.record(remove(a));
    saver.record(change(b, moved));
    saver.record(change(moved, b));
    await vi.advanceTimersByTimeAsync(600);
    expect(server.patches).toEqual([{ version: 0, upsert: [], delete: ["a"] }]);
  });
});

describe("when autosave sends", () => {
  it("waits for a pause in editing, then sends everything in one request", async () => {
    const server = new FakeServer();
    const { saver, status } = autosave(server);
    saver.record(add(box("a", 1)));
    await vi.advanceTimersByTimeAsync(300);
    saver.record(add(box("b", 2)));
    await vi.advanceTimersByTimeAsync(300);
    expect(server.patches).toHaveLength(0);
    expect(status()).toBe("Unsaved changes");
    await vi.advanceTimersByTimeAsync(300);
    expect(server.patches).toHaveLength(1);
    expect(server.patches[0].upsert.map((b) => b.id)).toEqual(["a", "b"]);
    expect(status()).toBe("Saved");
  });

  it("sends at once on flush (the page being hidden)", async () => {
    const server = new FakeServer();
    const { saver } = autosave(server);
    saver.record(add(box("a", 1)));
    await saver.flush();
    expect(server.patches).toHaveLength(1);
  });

  it("keeps one request in flight and sends later edits after it, at the new version", async () => {
    const server = new FakeServer();
    const { saver, states } = autosave(server);
    server.hold();
    const a = box("a", 1);
    saver.record(add(a));
    await vi.advanceTimersByTimeAsync(600);
    expect(server.patches).toHaveLength(1);
    const labelled = box("a", 1, "Parus major");
    saver.record(change(a, labelled));
    saver.record(add(box("b", 2)));
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.patches).toHaveLength(1);
    expect(statusText(states.at(-1)!)).toBe("Saving…");
    server.release();
    await saver.flush();
    expect(server.patches.map((p) => p.version)).toEqual([0, 1]);
    expect(server.patches[1].upsert.map((b) => [b.id, b.label])).toEqual([
      ["a", "Parus major"],
      ["b", ""],
    ]);
    expect(server.boxes.get("a")?.label).toBe("Parus major");
    expect(statusText(saver.current)).toBe("Saved");
  });

  it("tries again after a network failure, with the same changes", async () => {
    const server = new FakeServer();
    const { saver, status } = autosave(server);
    server.failNext = [new ApiError(0, "could not reach the API")];
    saver.record(add(box("a", 1)));
    await vi.advanceTimersByTimeAsync(600);
    expect(status()).toBe("Not saved: the API did not answer; trying again");
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.patches).toHaveLength(2);
    expect(server.boxes.has("a")).toBe(true);
    expect(status()).toBe("Saved");
  });

  it("takes a 409 after a lost answer as saved when the server holds exactly our change", async () => {
    const server = new FakeServer();
    const { saver, status } = autosave(server);
    server.loseNextAnswer = true;
    saver.record(add(box("a", 1)));
    await vi.advanceTimersByTimeAsync(600);
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.patches.map((p) => p.version)).toEqual([0, 0]);
    expect(status()).toBe("Saved");
    saver.record(add(box("b", 2)));
    await saver.flush();
    expect(server.patches.at(-1)?.version).toBe(1);
    expect(status()).toBe("Saved");
  });

  it("shows the server's sentence for a refused change and does not repeat it until the next edit", async () => {
    const server = new FakeServer();
    const { saver, status } = autosave(server);
    server.failNext = [new ApiError(400, "annotation 1 (id 'a'): end_s 200 is past the recording's end (102.4 s)")];
    saver.record(add(box("a", 1)));
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.patches).toHaveLength(1);
    expect(status()).toBe("Not saved: annotation 1 (id 'a'): end_s 200 is past the recording's end (102.4 s)");
    saver.record(add(box("b", 2)));
    await vi.advanceTimersByTimeAsync(600);
    expect(server.patches).toHaveLength(2);
    expect(status()).toBe("Saved");
  });
});

describe("a conflict", () => {
  async function conflicted() {
    const a = box("a", 1);
    const b = box("b", 2);
    const server = new FakeServer([a, b]);
    const save = autosave(server);
    server.theirEdit((boxes) => {
      boxes.delete("b");
      boxes.set("c", box("c", 3, "theirs"));
    });
    const mine = box("d", 4, "mine");
    save.saver.record(add(mine));
    save.saver.record(remove(b));
    await vi.advanceTimersByTimeAsync(600);
    return { server, ...save, mine };
  }

  it("stops saving and shows Conflict, even after more edits", async () => {
    const { server, saver, status } = await conflicted();
    expect(status()).toBe("Conflict");
    saver.record(add(box("e", 5)));
    await vi.advanceTimersByTimeAsync(5000);
    await saver.flush();
    expect(server.patches).toHaveLength(1);
    expect(status()).toBe("Conflict");
  });

  it("Keep mine: my changes on top of their version, saved with it", async () => {
    const { server, saver, status, mine } = await conflicted();
    const shown = await saver.keepMine();
    expect(shown.map((b) => b.id).sort()).toEqual(["a", "c", "d"]);
    await saver.flush();
    // Their delete of b already did what mine asked: only the add is sent.
    expect(server.patches.at(-1)).toEqual({ version: 1, upsert: [mine], delete: [] });
    expect([...server.boxes.keys()].sort()).toEqual(["a", "c", "d"]);
    expect(status()).toBe("Saved");
  });

  it("Load theirs: my unsaved changes dropped, their boxes shown, nothing sent", async () => {
    const { server, saver, status } = await conflicted();
    const shown = await saver.loadTheirs();
    expect(shown.map((b) => b.id).sort()).toEqual(["a", "c"]);
    await saver.flush();
    expect(server.patches).toHaveLength(1);
    expect(status()).toBe("Saved");
    saver.record(remove(shown[0]));
    await saver.flush();
    expect(server.patches.at(-1)?.version).toBe(1);
  });
});
