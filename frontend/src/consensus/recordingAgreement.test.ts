import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { blindAssignment, FakeAgreementServer } from "./fakeServer";
import { songAgreement } from "./fixture";
import { RecordingAgreementStore } from "./recordingAgreement";
import type { Assignment } from "../api/types";

function opened(assignments: Assignment[]) {
  const server = new FakeAgreementServer(assignments, songAgreement());
  let reloads = 0;
  const store = new RecordingAgreementStore(server, "r1", () => reloads++);
  return { server, store, now: store.getSnapshot, reloads: () => reloads };
}

const BOTH_DONE = [blindAssignment("ann", "done"), blindAssignment("bob", "done")];

describe("RecordingAgreementStore", () => {
  it("shows nothing for a recording nobody annotates blind, without asking for its agreement", async () => {
    const { server, store, now } = opened([blindAssignment("ann", "in_progress", false)]);
    await store.load();
    expect(now().view).toEqual({ kind: "none" });
    expect(server.requests).toEqual(["assignments r1"]);
  });

  it("waits while one blind annotator is not done, saying who is where", async () => {
    const { server, store, now } = opened([blindAssignment("ann", "done"), blindAssignment("bob", "in_progress")]);
    await store.load();
    const view = now().view;
    expect(view.kind).toBe("waiting");
    expect(view.kind === "waiting" && view.blind.map((a) => `${a.assignee} ${a.state}`)).toEqual(["ann done", "bob in_progress"]);
    expect(server.requests).toEqual(["assignments r1"]);
  });

  it("reads the agreement once both are done, every pair chosen as by default", async () => {
    const { store, now } = opened(BOTH_DONE);
    await store.load();
    const view = now().view;
    expect(view.kind === "ready" && view.agreement.annotators).toEqual(["ann", "bob"]);
    expect(view.kind === "ready" && view.choices.map((c) => c.keep)).toEqual(["a", "a", "a", "b"]);
  });

  it("reloads the page's boxes when the last blind annotator finishes while the page is open, and when one reopens", async () => {
    const bobAtWork = [blindAssignment("ann", "done"), blindAssignment("bob", "in_progress")];
    const { server, store, now, reloads } = opened(bobAtWork);
    await store.load();
    expect(reloads()).toBe(0);
    server.assignments = BOTH_DONE;
    await store.load();
    expect(now().view.kind).toBe("ready");
    // The page showed ann's own layer; from now on it shows the final set.
    expect(reloads()).toBe(1);
    await store.load();
    expect(reloads()).toBe(1);
    server.assignments = bobAtWork;
    await store.load();
    expect([now().view.kind, reloads()]).toEqual(["waiting", 2]);
  });

  it("reloads nothing on a first read, whatever it finds", async () => {
    for (const assignments of [BOTH_DONE, [blindAssignment("ann", "to_do"), blindAssignment("bob", "done")]]) {
      const { store, reloads } = opened(assignments);
      await store.load();
      expect(reloads()).toBe(0);
    }
  });

  it("waits when the server says not yet although the assignments said done (reopened between)", async () => {
    const { server, store, now } = opened(BOTH_DONE);
    server.getAssignments = async () => ({ assignments: BOTH_DONE });
    server.assignments = [blindAssignment("ann", "done"), blindAssignment("bob", "in_progress")];
    await store.load();
    expect(now().view.kind).toBe("waiting");
  });

  it("says why the agreement could not be read", async () => {
    const { server, store, now } = opened(BOTH_DONE);
    server.failNext.push(new ApiError(403, "your role in this project is viewer"));
    await store.load();
    expect(now().view).toEqual({ kind: "failed", error: "your role in this project is viewer" });
  });

  it("merges the choices into the final set, relabelled, then reloads the page's boxes and the agreement", async () => {
    const { server, store, now, reloads } = opened(BOTH_DONE);
    await store.load();
    store.keepAllMatchedAs("b");
    store.choose(2, "none");
    store.relabel(1, "Wren");
    await expect(store.merge()).resolves.toBe(true);
    expect([...server.main.values()].map((b) => `${b.id} ${b.label}`)).toEqual(["b1 Wren", "b2 Wren", "b3 Robin"]);
    expect(now().note).toEqual({ text: "Merged 3 boxes into the final set; it now holds 3 boxes.", error: false });
    expect(reloads()).toBe(1);
    const view = now().view;
    expect(view.kind === "ready" && view.agreement.version).toBe(4);
    expect(server.requests).toEqual(["assignments r1", "agreement r1", "consensus r1", "assignments r1", "agreement r1"]);
  });

  it("reads again after a stale version, saying the choices must be made again, and reloads nothing", async () => {
    const { server, store, now, reloads } = opened(BOTH_DONE);
    await store.load();
    store.choose(0, "both");
    server.agreement.version = 7;
    await expect(store.merge()).resolves.toBe(false);
    expect(now().note).toEqual({
      text: "Not merged: the final set changed since version 3. The agreement was read again: choose and merge again.",
      error: true,
    });
    expect(server.main.size).toBe(0);
    expect(reloads()).toBe(0);
    const view = now().view;
    expect(view.kind === "ready" && [view.agreement.version, view.choices[0].keep]).toEqual([7, "a"]);
  });

  it("keeps the choices when the merge fails otherwise, so Merge can be tried again", async () => {
    const { server, store, now } = opened(BOTH_DONE);
    await store.load();
    store.choose(0, "both");
    server.failNext.push(new ApiError(0, "POST /recordings/r1/consensus could not reach the API"));
    await expect(store.merge()).resolves.toBe(false);
    expect(now().note?.error).toBe(true);
    const view = now().view;
    expect(view.kind === "ready" && view.choices[0].keep).toBe("both");
    await expect(store.merge()).resolves.toBe(true);
    expect(server.main.has("b1")).toBe(true);
  });

  it("drops an older read's answer when a newer one was started", async () => {
    const { server, store, now } = opened(BOTH_DONE);
    let release = () => {};
    const slow = new Promise<void>((go) => (release = go));
    const getAssignments = server.getAssignments.bind(server);
    server.getAssignments = async (id) => {
      const answer = await getAssignments(id);
      await slow;
      return { assignments: answer.assignments.map((a) => ({ ...a, blind: false })) };
    };
    const first = store.load();
    server.getAssignments = getAssignments;
    await store.load();
    release();
    await first;
    expect(now().view.kind).toBe("ready");
  });
});
