import { describe, expect, it } from "vitest";
import type { PartsPlan } from "../api/types";
import { PARTS_IN_FLIGHT, PART_TRIES, PartRefused, type PartSender, heldParts, sendParts } from "./parts";

const NOW = Date.parse("2026-12-04T10:00:00Z");
const file = new Blob([new Uint8Array(10 * 100 + 37)]); // 11 parts of 100 bytes, the last 37

function plan(expiresAt = "2026-12-04T10:15:00Z", count = 11): PartsPlan {
  const parts = Array.from({ length: count }, (_, i) => ({ number: i + 1, url: `u${i + 1}` }));
  return { part_size: 100, part_count: 11, parts, expires_at: expiresAt };
}

/** A bucket in memory: `fail(url)` says how a PUT to it ends instead of succeeding. */
function bucket(fail: (url: string, tries: number) => Error | null = () => null) {
  const puts: string[] = [];
  const presigned: number[][] = [];
  const tries = new Map<string, number>();
  let inFlight = 0;
  let mostInFlight = 0;
  const sender: PartSender = {
    async put(url, body, onSent) {
      puts.push(url);
      tries.set(url, (tries.get(url) ?? 0) + 1);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await Promise.resolve();
      inFlight--;
      const failure = fail(url, tries.get(url) as number);
      if (failure) throw failure;
      onSent(body.size);
      return `"etag-${url}-${body.size}"`;
    },
    async presign(numbers) {
      presigned.push(numbers);
      return { parts: numbers.map((n) => ({ number: n, url: `fresh${n}` })), expires_at: "2026-12-04T10:30:00Z" };
    },
    wait: async () => undefined,
    now: () => NOW,
  };
  return { sender, puts, presigned, mostInFlight: () => mostInFlight };
}

describe("sendParts", () => {
  it("sends every part once, a few at a time, and reports progress over the whole file", async () => {
    const { sender, puts, mostInFlight } = bucket();
    const progress: number[] = [];
    const etags = await sendParts(file, plan(), new Map(), sender, (f) => progress.push(f), new AbortController().signal);
    expect([...etags.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(etags.get(11)).toBe('"etag-u11-37"');
    expect(puts.sort()).toEqual(plan().parts.map((p) => p.url).sort());
    expect(mostInFlight()).toBe(PARTS_IN_FLIGHT);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it("retries a part after a network error without sending the others again", async () => {
    const { sender, puts } = bucket((url, tries) => (url === "u3" && tries < 3 ? new Error("offline") : null));
    const etags = await sendParts(file, plan(), new Map(), sender, () => undefined, new AbortController().signal);
    expect(etags.size).toBe(11);
    expect(puts.filter((u) => u === "u3")).toHaveLength(3);
    expect(puts.filter((u) => u === "u4")).toHaveLength(1);
  });

  it("resumes from the parts the bucket holds, sending only the others with fresh URLs", async () => {
    const { sender, puts, presigned } = bucket();
    const progress = {
      part_size: 100,
      part_count: 11,
      received: [
        { number: 1, etag: '"a"', size: 100 },
        { number: 2, etag: '"b"', size: 60 }, // cut short: sent again
        { number: 11, etag: '"k"', size: 37 },
      ],
    };
    const held = heldParts(progress, file.size);
    expect([...held.keys()]).toEqual([1, 11]);
    const reported: number[] = [];
    const resumed = { ...plan(new Date(0).toISOString(), 0) };
    const etags = await sendParts(file, resumed, held, sender, (f) => reported.push(f), new AbortController().signal);
    expect(reported[0]).toBeCloseTo(137 / file.size);
    expect(puts).not.toContain("fresh1");
    expect(puts).toContain("fresh2");
    expect(presigned[0].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(etags.get(1)).toBe('"a"');
    expect(etags.size).toBe(11);
  });

  it("renews an expired part URL and sends the part again", async () => {
    const { sender, puts, presigned } = bucket((url) => (url === "u5" ? new PartRefused(403, "Request has expired") : null));
    const etags = await sendParts(file, plan(), new Map(), sender, () => undefined, new AbortController().signal);
    expect(etags.size).toBe(11);
    expect(presigned).toHaveLength(1);
    expect(puts).toContain("fresh5");
  });

  it("stops every part and throws when one keeps failing, keeping what arrived", async () => {
    const { sender, puts } = bucket((url) => (url === "u2" ? new Error("offline") : null));
    await expect(sendParts(file, plan(), new Map(), sender, () => undefined, new AbortController().signal)).rejects.toThrow("offline");
    expect(puts.filter((u) => u === "u2")).toHaveLength(PART_TRIES);
    expect(puts.length).toBeLessThan(11 + PART_TRIES);
  });

  it("sends nothing more once cancelled", async () => {
    const cancel = new AbortController();
    const { sender, puts } = bucket();
    cancel.abort();
    const failing: PartSender = {
      ...sender,
      put: (url, body, onSent, signal) =>
        signal.aborted ? Promise.reject(new DOMException("cancelled", "AbortError")) : sender.put(url, body, onSent, signal),
    };
    await expect(sendParts(file, plan(), new Map(), failing, () => undefined, cancel.signal)).rejects.toThrow("cancelled");
    expect(puts).toEqual([]);
  });
});
