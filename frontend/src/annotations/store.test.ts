import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Annotation } from "../api/types";
import { statusText } from "./autosave";
import { newBox } from "./box";
import { FAKE_USER, FakeServer } from "./fakeServer";
import { AnnotationStore } from "./store";

const box = (id: string, start_s: number): Annotation =>
  newBox({ start_s, end_s: start_s + 1, low_hz: 1000, high_hz: 2000 }, id);

async function opened(boxes: Annotation[] = []) {
  const server = new FakeServer(boxes);
  const store = new AnnotationStore(server, "r1");
  await store.load();
  const now = () => store.getSnapshot();
  return { server, store, now, ids: () => now().boxes.map((b) => b.id) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("AnnotationStore", () => {
  it("shows the loaded boxes in time order", async () => {
    const { ids, now } = await opened([box("late", 9), box("early", 1)]);
    expect(ids()).toEqual(["early", "late"]);
    expect(now().loaded).toBe(true);
  });

  it("shows a box just saved signed as the server stored it, and one edited meanwhile as it is", async () => {
    const { store, server, now } = await opened();
    store.add(box("a", 1));
    store.add(box("b", 3));
    server.hold();
    await vi.advanceTimersByTimeAsync(600);
    store.change({ ...box("b", 3), label: "wren" });
    server.release();
    server.hold(); // b's second save waits
    await vi.advanceTimersByTimeAsync(0);
    const [a, b] = now().boxes;
    expect([a.created_by, a.updated_by, a.updated_at]).toEqual([FAKE_USER, FAKE_USER, server.boxes.get("a")!.updated_at]);
    expect(b.created_by).toBeNull(); // edited again before its first save answered
    server.release();
    await store.flush();
    expect(now().boxes[1].created_by).toBe(FAKE_USER);
  });

  it("selects a box just drawn and opens its label", async () => {
    const { store, now } = await opened();
    store.add(box("a", 1));
    expect(now().selectedId).toBe("a");
    expect(now().editingId).toBe("a");
  });

  it("undoes a delete and saves the box again", async () => {
    const a = box("a", 1);
    const { store, server, ids, now } = await opened([a]);
    store.select("a");
    store.remove("a");
    expect(now().selectedId).toBeNull();
    await vi.advanceTimersByTimeAsync(600);
    expect(server.boxes.has("a")).toBe(false);
    store.undo();
    expect(ids()).toEqual(["a"]);
    expect(now().canRedo).toBe(true);
    await vi.advanceTimersByTimeAsync(600);
    expect(server.boxes.get("a")).toEqual({ ...a, created_by: FAKE_USER, updated_by: FAKE_USER, updated_at: expect.any(String) });
    store.redo();
    await store.flush();
    expect(server.boxes.has("a")).toBe(false);
    expect(statusText(now().save)).toBe("Saved");
  });

  it("records no step for a change that changes nothing", async () => {
    const a = box("a", 1);
    const { store, now } = await opened([a]);
    store.change({ ...a });
    expect(now().canUndo).toBe(false);
  });

  it("saves pending changes before exporting, so the file holds them", async () => {
    const { store } = await opened();
    store.add(box("a", 1));
    const file = await store.exportFile("json");
    expect(file.filename).toBe("song.json");
    expect(await file.data.text()).toContain('"id":"a"');
  });

  it("exports only the accepted boxes when asked", async () => {
    const accepted = { ...box("a", 1), review: { state: "accepted" as const, by: "ann", at: null, label_before: null } };
    const rejected = { ...box("b", 2), review: { state: "rejected" as const, by: "ann", at: null, label_before: null } };
    const { store } = await opened([accepted, rejected, box("c", 3)]);
    const ids = async (file: { data: Blob }) =>
      (JSON.parse(await file.data.text()) as { annotations: Annotation[] }).annotations.map((b) => b.id);
    expect(await ids(await store.exportFile("json", "accepted"))).toEqual(["a"]);
    expect(await ids(await store.exportFile("json"))).toEqual(["a", "b", "c"]);
  });

  it("refuses to export while in conflict", async () => {
    const { store, server } = await opened([box("a", 1)]);
    server.theirEdit((boxes) => boxes.clear());
    store.add(box("b", 2));
    await expect(store.exportFile("raven")).rejects.toThrow("Can't export before the boxes are saved (Conflict).");
  });

  it("shows the server's answer after an import and starts the undo history again", async () => {
    const { store, server, ids, now } = await opened([box("a", 1)]);
    store.add(box("b", 2));
    const file = new Blob([JSON.stringify([box("c", 3)])]);
    await store.importFile(file, { mode: "append" });
    expect(ids()).toEqual(["a", "b", "c"]);
    expect(server.boxes.size).toBe(3);
    expect(now().canUndo).toBe(false);
    expect(now().notice).toBe("Imported: 3 boxes now; the undo history starts again.");
  });

  it("resolves a conflict by keeping mine: both sets of changes shown and saved", async () => {
    const { store, server, ids, now } = await opened([box("a", 1)]);
    server.theirEdit((boxes) => boxes.set("t", box("t", 5)));
    store.add(box("m", 3));
    await store.flush();
    expect(statusText(now().save)).toBe("Conflict");
    await store.keepMine();
    await store.flush();
    expect(ids()).toEqual(["a", "m", "t"]);
    expect([...server.boxes.keys()].sort()).toEqual(["a", "m", "t"]);
    expect(statusText(now().save)).toBe("Saved");
    expect(now().canUndo).toBe(false);
  });

  it("says why the boxes could not be loaded", async () => {
    const server = new FakeServer();
    server.getAnnotations = () => Promise.reject(new Error("no recording 'r1'"));
    const store = new AnnotationStore(server, "r1");
    await store.load();
    expect(store.getSnapshot().loadError).toBe("no recording 'r1'");
  });
});

describe("AnnotationStore with proposals and measurements", () => {
  const proposal = (id: string, start_s: number): Annotation => ({
    ...box(id, start_s),
    label: "Whistles",
    source: "detector:Whistles",
    review: null,
  });

  it("accepts a proposal a person moves, in the page and on the server", async () => {
    const server = new FakeServer([proposal("p", 1)]);
    const store = new AnnotationStore(server, "r1", {
      reviewer: { username: "ana", now: () => new Date("2026-12-07T12:00:00Z") },
    });
    await store.load();
    const [p] = store.getSnapshot().boxes;
    store.change({ ...p, start_s: 1.25 });
    await store.flush();
    expect(server.boxes.get("p")?.review).toEqual({
      state: "accepted",
      by: "ana",
      at: "2026-12-07T12:00:00.000Z",
      label_before: "Whistles",
    });
    store.undo();
    expect(store.getSnapshot().boxes[0].review).toBeNull();
  });

  it("merges computed values into the boxes without marking anything unsaved, and says which are measuring", async () => {
    const server = new FakeServer([box("a", 1), box("b", 2)]);
    server.measurementAnswers = [
      { measurements: { a: { "Peak Freq (Hz)": 1500 } }, pending: ["b"] },
      { measurements: { a: { "Peak Freq (Hz)": 1500 }, b: { "Peak Freq (Hz)": 1800 } }, pending: [] },
    ];
    const store = new AnnotationStore(server, "r1");
    await store.load();
    await vi.advanceTimersByTimeAsync(0);
    const first = store.getSnapshot();
    expect(first.boxes.find((b) => b.id === "a")?.measurements).toEqual({ "Peak Freq (Hz)": 1500 });
    expect([...first.measuring]).toEqual(["b"]);
    expect(statusText(first.save)).toBe("Saved");
    await vi.advanceTimersByTimeAsync(1000);
    const later = store.getSnapshot();
    expect(later.boxes.find((b) => b.id === "b")?.measurements).toEqual({ "Peak Freq (Hz)": 1800 });
    expect(later.measuring.size).toBe(0);
    expect(later.canUndo).toBe(false);
    expect(statusText(later.save)).toBe("Saved");
    await store.flush();
    expect(server.patches).toEqual([]);
  });

  it("replaces every computed value, keeping the box's own", async () => {
    const scored = { ...box("a", 1), measurements: { "Peak SNR (dB)": 14, "SNR (dB)": 9, "Peak Freq (Hz)": 1200 } };
    const server = new FakeServer([scored]);
    server.measurementAnswers = [{ measurements: { a: { "Peak Freq (Hz)": 1500 } }, pending: [] }];
    const store = new AnnotationStore(server, "r1", { computed: ["Peak Freq (Hz)", "SNR (dB)"] });
    await store.load();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().boxes[0].measurements).toEqual({ "Peak SNR (dB)": 14, "Peak Freq (Hz)": 1500 });
  });

  it("keeps values of old bounds off a box edited since, and takes the new ones after its save", async () => {
    const server = new FakeServer([box("a", 1)]);
    server.measurementAnswers = [
      { measurements: {}, pending: ["a"] },
      { measurements: { a: { "Delta Time (s)": 1 } }, pending: [] },
      { measurements: { a: { "Delta Time (s)": 2 } }, pending: [] },
    ];
    const store = new AnnotationStore(server, "r1");
    await store.load();
    const [a] = store.getSnapshot().boxes;
    server.hold();
    store.change({ ...a, end_s: 3 });
    // The first round asks again at 1 s, while the edit is still on its way.
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.getSnapshot().boxes[0].measurements).toEqual({});
    server.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.patches).toHaveLength(1);
    expect(store.getSnapshot().boxes[0].measurements).toEqual({ "Delta Time (s)": 2 });
    expect(statusText(store.getSnapshot().save)).toBe("Saved");
  });

  it("reads the boxes again after a detector run, once the person's changes are saved", async () => {
    const server = new FakeServer([box("a", 1)]);
    const store = new AnnotationStore(server, "r1");
    await store.load();
    store.add(box("mine", 3));
    // The worker writes its proposals meanwhile, in a version of its own.
    server.theirEdit((boxes) => boxes.set("p", proposal("p", 5)));
    await store.reload();
    expect(statusText(store.getSnapshot().save)).toBe("Conflict");
    expect(store.getSnapshot().notice).toBe("New boxes are on the server; they show once yours are saved (Conflict).");
    await store.keepMine();
    await store.flush();
    await store.reload();
    expect(store.getSnapshot().boxes.map((b) => b.id)).toEqual(["a", "mine", "p"]);
    expect(store.getSnapshot().boxes[2].source).toBe("detector:Whistles");
  });
});
