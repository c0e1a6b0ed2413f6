import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stylesheetSingleton } from "./styleSingleton";

/** What the page's document holds: its adopted sheets, each with its CSS. */
class Sheet {
  css = "";
  replaceSync(css: string) {
    this.css = css;
  }
}
const page = { adoptedStyleSheets: [] as Sheet[] };

beforeEach(() => {
  page.adoptedStyleSheets = [];
  vi.stubGlobal("document", page);
  vi.stubGlobal("CSSStyleSheet", Sheet);
});
afterEach(() => vi.unstubAllGlobals());

describe("stylesheetSingleton", () => {
  it("adopts the CSS once for its first user, through the CSSOM", () => {
    const sheet = stylesheetSingleton();
    sheet.add("body { overflow: hidden }");
    sheet.add("body { overflow: hidden }");
    expect(page.adoptedStyleSheets.map((s) => s.css)).toEqual(["body { overflow: hidden }"]);
  });

  it("keeps it until its last user goes, then takes it away", () => {
    const sheet = stylesheetSingleton();
    sheet.add("a {}");
    sheet.add("a {}");
    sheet.remove();
    expect(page.adoptedStyleSheets).toHaveLength(1);
    sheet.remove();
    expect(page.adoptedStyleSheets).toHaveLength(0);
  });

  it("leaves other sheets the page adopted alone", () => {
    const theirs = new Sheet();
    page.adoptedStyleSheets = [theirs];
    const sheet = stylesheetSingleton();
    sheet.add("a {}");
    sheet.remove();
    expect(page.adoptedStyleSheets).toEqual([theirs]);
  });
});
