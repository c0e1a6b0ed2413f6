import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import type { DetectorOutputImport } from "../api/types";
import { toStart } from "../upload/queue";
import { type ResultFile, ended, matchedWords, notResult, resultFiles, summarise, summaryLine } from "./imports";

const file = (name: string) => new File(["x"], name);

const answer = (
  name: string,
  matched: [string, string, number][],
  unmatched: string[] = [],
): DetectorOutputImport => ({
  file: name,
  format: "birdnet",
  matched: matched.map(([recording_id, filename, boxes]) => ({ recording_id, filename, boxes })),
  unmatched,
  boxes: matched.reduce((sum, [, , boxes]) => sum + boxes, 0),
});

function imported(key: number, result: DetectorOutputImport): ResultFile {
  return { key, file: file(result.file), projectId: "p", state: "imported", answer: result, reason: null };
}

describe("which files of a folder are sent", () => {
  it("sends BirdNET's and Raven's tables and CSVs, not the audio beside them nor hidden files", () => {
    expect(notResult(file("dawn.BirdNET.selection.table.txt"))).toBeNull();
    expect(notResult(file("BirdNET_CombinedTable.csv"))).toBeNull();
    expect(notResult(file("A_0600.Table.1.selections.TXT"))).toBeNull();
    expect(notResult(file("dawn.annotations.json"))).toBeNull();
    expect(notResult(file("dawn.wav"))).toMatch(/dawn.wav is not a result file/);
    expect(notResult(file(".DS_Store"))).toMatch(/hidden/);
  });

  it("lists every file of the drop, those not sent as skipped, into the project chosen then", () => {
    const items = resultFiles([file("dawn.BirdNET.results.csv"), file("dawn.wav")], "project-1", 7);
    expect(items.map((i) => [i.key, i.state, i.projectId])).toEqual([
      [7, "waiting", "project-1"],
      [8, "skipped", "project-1"],
    ]);
  });
});

describe("sending a few at a time", () => {
  it("starts at most three files at once, oldest first, never a skipped one", () => {
    const items = resultFiles(["a.csv", "b.wav", "c.csv", "d.csv", "e.csv"].map(file), "p", 0);
    expect(toStart(items).map((i) => i.file.name)).toEqual(["a.csv", "c.csv", "d.csv"]);
    const sending = items.map((i) => (i.key === 0 || i.key === 2 ? { ...i, state: "uploading" as const } : i));
    expect(toStart(sending).map((i) => i.file.name)).toEqual(["d.csv"]);
  });
});

describe("a file's end", () => {
  it("is refused with the server's sentence on a 4xx, failed otherwise", () => {
    expect(ended(new ApiError(400, "not imported: line 3 (for dawn.wav): end_s 14 is past"))).toEqual({
      state: "refused",
      reason: "not imported: line 3 (for dawn.wav): end_s 14 is past",
    });
    expect(ended(new ApiError(503, "could not save the annotations"))).toEqual({
      state: "failed",
      reason: "could not save the annotations",
    });
    expect(ended(new TypeError("Failed to fetch")).state).toBe("failed");
  });
});

describe("the drop's summary", () => {
  const items: ResultFile[] = [
    imported(0, answer("dawn.BirdNET.selection.table.txt", [["r1", "dawn.wav", 2]])),
    imported(1, answer("soundscape.BirdNET.selection.table.txt", [], ["soundscape.wav"])),
    imported(2, answer("BirdNET_CombinedTable.csv", [["r1", "dawn.wav", 1], ["r3", "noon.wav", 3]], ["midnight.wav", "soundscape.wav"])),
    { key: 3, file: file("late.csv"), projectId: "p", state: "refused", answer: null, reason: "not imported: line 4" },
    { key: 4, file: file("dawn.wav"), projectId: "p", state: "skipped", answer: null, reason: "not a result file" },
    { key: 5, file: file("next.csv"), projectId: "p", state: "waiting", answer: null, reason: null },
  ];

  it("adds each recording's boxes over the files and names each unmatched audio once", () => {
    const summary = summarise(items);
    expect(summary.recordings).toEqual([
      { recording_id: "r1", filename: "dawn.wav", boxes: 3 },
      { recording_id: "r3", filename: "noon.wav", boxes: 3 },
    ]);
    expect(summary.unmatched).toEqual(["soundscape.wav", "midnight.wav"]);
    expect([summary.files, summary.imported, summary.refused, summary.skipped, summary.pending, summary.boxes]).toEqual([
      6, 3, 1, 1, 1, 6,
    ]);
  });

  it("reads as one sentence, and each file as where its boxes went", () => {
    expect(summaryLine(summarise(items))).toBe(
      "3 files imported: 6 boxes on 2 recordings. 1 still to send. 1 refused. 1 skipped.",
    );
    expect(summaryLine(summarise(items.slice(0, 1)))).toBe("1 file imported: 2 boxes on 1 recording.");
    expect(matchedWords(items[2].answer as DetectorOutputImport)).toBe("dawn.wav: 1 box, noon.wav: 3 boxes");
    expect(matchedWords(items[1].answer as DetectorOutputImport)).toBe("no recording of this project");
  });
});
