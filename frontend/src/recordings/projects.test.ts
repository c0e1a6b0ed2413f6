import { describe, expect, it } from "vitest";
import type { Project } from "../api/types";
import { everyProject } from "./projects";

const project = (id: string): Project => ({
  id, name: id, created_at: "", presets: { f_max_hz: null, n_fft: null, hop_length: null }, detectors: [], label_keys: [], recording_count: 0, role: "owner",
});

describe("everyProject", () => {
  it("follows the cursor through every page and lists the oldest first", async () => {
    const asked: (string | undefined)[] = [];
    const pages: Record<string, { projects: Project[]; next: string | null }> = {
      first: { projects: [project("c"), project("b")], next: "k1" },
      k1: { projects: [project("a")], next: null },
    };
    const api = {
      listProjects: async (cursor?: string) => {
        asked.push(cursor);
        return pages[cursor ?? "first"];
      },
    };
    expect((await everyProject(api)).map((p) => p.id)).toEqual(["a", "b", "c"]);
    expect(asked).toEqual([undefined, "k1"]);
  });
});
