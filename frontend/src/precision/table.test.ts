import { describe, expect, it } from "vitest";
import { FakeReviewServer, type ScoredBox } from "./fakeServer";
import { acceptOffer, intervalText, isChosen, offerText, parseTarget, ratioText } from "./table";

let ids = 0;
const box = (confidence: number | null, state: "accepted" | "rejected" | null = null, label = "Wren"): ScoredBox => ({
  id: `b${++ids}`,
  recording: "r1",
  label,
  confidence,
  source: "birdnet",
  review: state && { state, by: "ann", at: "2026-12-07T14:00:00.000000Z" },
});

// Wren: right at 0.8 and above, wrong below; two unreviewed at 0.85 and 0.9.
const WREN = [box(0.3, "rejected"), box(0.6, "rejected"), box(0.8, "accepted"), box(0.82, "accepted"), box(0.85), box(0.9), box(null)];

async function tableOf(boxes: ScoredBox[], target = 0.9) {
  return (await new FakeReviewServer(boxes).getPrecision("p1", { target })).labels;
}

describe("the precision table's marks", () => {
  it("marks the row of the lowest threshold reaching the target, once", async () => {
    const [wren] = await tableOf(WREN);
    const marked = wren.rows.filter((r) => isChosen(r, wren)).map((r) => r.threshold);
    expect(marked).toEqual([0.65]);
  });

  it("finds that row although the API's threshold carries a float's tail", async () => {
    const [wren] = await tableOf(WREN);
    expect(isChosen(wren.rows[11], { ...wren, threshold: 0.6500000000000001 })).toBe(true);
  });

  it("marks nothing when no threshold reaches the target", async () => {
    const [wren] = await tableOf([box(0.9, "rejected"), box(0.95)]);
    expect(wren.threshold).toBeNull();
    expect(wren.rows.some((r) => isChosen(r, wren))).toBe(false);
    expect(acceptOffer(wren)).toBeNull();
  });
});

describe("acceptOffer", () => {
  it("offers the unreviewed boxes at or above the chosen threshold", async () => {
    const [wren] = await tableOf(WREN);
    const offer = acceptOffer(wren)!;
    expect(offer).toEqual({ label: "Wren", threshold: 0.65, unreviewed: 2 });
    expect(offerText(offer)).toBe("Accept 2 unreviewed at ≥ 0.65");
  });

  it("offers nothing once every box there is reviewed", async () => {
    const [wren] = await tableOf(WREN.map((b) => ({ ...b, review: b.review ?? { state: "accepted", by: "ann", at: "t" } })));
    expect(wren.threshold).not.toBeNull();
    expect(acceptOffer(wren)).toBeNull();
  });
});

describe("the table's numbers", () => {
  it("writes shares with two decimals and a dash where none is known", () => {
    expect(ratioText(0.9)).toBe("0.90");
    expect(ratioText(null)).toBe("–");
    const row = { threshold: 0.5, boxes: 10, reviewed: 10, accepted: 8, rejected: 2, precision: 0.8, low: 0.49, high: 0.943 };
    expect(intervalText(row)).toBe("0.49–0.94");
    expect(intervalText({ ...row, low: null, high: null })).toBe("–");
  });
});

describe("parseTarget", () => {
  it("takes a share above 0 and at most 1", () => {
    expect(parseTarget("0.95")).toEqual({ target: 0.95 });
    expect(parseTarget(" 1 ")).toEqual({ target: 1 });
  });

  it.each(["", "0", "-0.5", "1.2", "90", "abc"])("refuses %j and says why", (text) => {
    expect(parseTarget(text)).toEqual({ problem: expect.stringContaining("a share above 0 and at most 1") });
  });
});
