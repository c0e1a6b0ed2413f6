import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AgreementRegion } from "./AgreementRegion";
import { defaultChoices } from "./choices";
import { blindAssignment } from "./fakeServer";
import { figuresOf, songAgreement } from "./fixture";
import { ProjectAgreementFigures } from "./ProjectAgreement";
import type { AgreementView } from "./recordingAgreement";
import type { RecordingAgreement } from "./useRecordingAgreement";

const nothing = () => {};
/** The markup's text: tags dropped, the apostrophes React escapes put back. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replaceAll("&#x27;", "'").replace(/\s+/g, " ");

/** The region as the page renders it for this view, as text (tags dropped) and as markup. */
function region(view: AgreementView, changes: Partial<RecordingAgreement> = {}) {
  const agreement: RecordingAgreement = {
    view,
    merging: false,
    note: null,
    load: async () => {},
    choose: nothing,
    relabel: nothing,
    keepAllMatchedAs: nothing,
    merge: async () => true,
    showBoth: true,
    setShowBoth: nothing,
    current: null,
    setCurrent: nothing,
    boxes: [],
    ...changes,
  };
  const html = renderToStaticMarkup(createElement(AgreementRegion, { agreement, onShow: nothing }));
  return { html, text: textOf(html) };
}

describe("the agreement region", () => {
  it("is absent on a recording nobody annotates blind, and while loading", () => {
    expect(region({ kind: "none" }).html).toBe("");
    expect(region({ kind: "loading" }).html).toBe("");
  });

  it("says, quietly, that it waits for both and where each is", () => {
    const { text } = region({ kind: "waiting", blind: [blindAssignment("ann", "done"), blindAssignment("bob", "to_do")] });
    expect(text).toContain("Agreement once both annotators are done (ann: done, bob: to do).");
    expect(text).toContain("Check again");
  });

  it("is a region headed Agreement with the figures, the consensus table and Merge", () => {
    const agreement = songAgreement();
    const { html, text } = region({ kind: "ready", agreement, choices: defaultChoices(agreement.pairs) });
    expect(html).toMatch(/<section aria-labelledby="([^"]+)"[^>]*>.*<h2[^>]* id="\1"[^>]*>Agreement between ann \(A\) and bob \(B\)<\/h2>/s);
    expect(text).toContain("Matched 2 of 3 boxes by ann (67 %)");
    expect(text).toContain("Same label on 1 of 2 matched pairs (50 %)");
    expect(text).toContain("Cohen's κ undefined: not computed by the fake");
    expect(html.match(/role="radiogroup"/g)).toHaveLength(4);
    expect(html).toContain('aria-label="Keep, pair 2"');
    expect(html).toContain('aria-label="Relabel pair 4"');
    expect(text).toContain("labels differ");
    expect(text).toContain("4 boxes go into the final set.");
    expect(text).toMatch(/Merge/);
  });

  it("says what the merge did, or why it failed as an alert", () => {
    const agreement = songAgreement();
    const view: AgreementView = { kind: "ready", agreement, choices: defaultChoices(agreement.pairs) };
    expect(region(view, { note: { text: "Merged 4 boxes into the final set; it now holds 4 boxes.", error: false } }).html).toMatch(
      /role="status"[^>]*>Merged 4 boxes/,
    );
    expect(region(view, { note: { text: "Not merged: gone.", error: true } }).html).toMatch(/role="alert"[^>]*>Not merged: gone\./);
  });
});

describe("the project's agreement", () => {
  it("gives the pooled figures and a row per pair of annotators", () => {
    const figures = figuresOf(songAgreement().pairs);
    const html = renderToStaticMarkup(
      createElement(ProjectAgreementFigures, {
        agreement: { recordings: 3, figures, annotator_pairs: [{ annotators: ["ann", "bob"], recordings: 3, figures }] },
      }),
    );
    const text = textOf(html);
    expect(text).toContain("Over 3 doubly annotated recordings");
    expect(text).toContain("Matched 2 of 3 boxes by A (67 %)");
    expect(text).toMatch(/ann bob 3 2\/3 \(67 %\) 2\/3 \(67 %\) undefined/);
  });

  it("says when no recording is doubly annotated and done yet", () => {
    const figures = figuresOf([]);
    const html = renderToStaticMarkup(createElement(ProjectAgreementFigures, { agreement: { recordings: 0, figures, annotator_pairs: [] } }));
    expect(html).toContain("No recording annotated blind by two members is done by both yet.");
  });
});
