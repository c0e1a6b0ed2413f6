// Issue 18's review in real Chromium against the stack `make run` starts.
// Run by tests/integration/test_browser.py: node e2e/review-flow.mjs UI_URL ARTIFACTS_DIR
// Sign in → a project of three recordings (the generated WAV under three names) → a BirdNET
// table for each, imported as detector output → Review from the project → filter to one label,
// order by the stratified sample → review by keys only (a, r, l + type + Enter, Ctrl+Z), the
// "N of M reviewed" moving → reload: the decisions kept, one made just before the reload sent
// from the outbox → the precision panel moving with the decisions, a threshold reached, every
// unreviewed box above it accepted in one action (undone, redone) → Enter opens the box in the
// viewer → Review on a recording's page → the project's accepted boxes exported as one Raven
// table with their review columns.
// axe-core at each step; screenshots of each step go to ARTIFACTS_DIR.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkAccessibility } from "./axe.mjs";
import { launch, openPage, signIn } from "./browser.mjs";
import { writeWhistles } from "./wav.mjs";

const [uiUrl, artifacts] = process.argv.slice(2);
const audio = join(artifacts, "audio");
const results = join(artifacts, "BirdNET results");
mkdirSync(audio, { recursive: true });
mkdirSync(results, { recursive: true });

// The whistles come every 2 s (0.5 s each, 3 → 5 kHz): BirdNET-style rows over them, Wren
// and Chaffinch in turn, confidences spread over the bins so the sample takes every Wren.
const SITES = ["site-a.wav", "site-b.wav", "site-c.wav"];
const WREN = "Eurasian Wren";
const CHAFFINCH = "Common Chaffinch";
const HEADER = "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tCommon Name\tSpecies Code\tConfidence\tBegin Path\tFile Offset (s)";
SITES.forEach((site, s) => {
  writeWhistles(join(audio, site));
  const rows = [0, 2, 4, 6, 8, 10].map((start, i) => {
    const [name, code] = i % 2 === 0 ? [WREN, "winwre4"] : [CHAFFINCH, "comcha"];
    const confidence = (0.15 + 0.1 * (3 * (i >> 1) + s)).toFixed(2); // Wren: 0.15 … 0.95, each in its own bin
    return [i + 1, "Spectrogram 1", 1, start, start + 0.6, 2500, 5500, name, code, confidence, `/data/${site}`, start].join("\t");
  });
  writeFileSync(join(results, `${site.replace(".wav", "")}.BirdNET.selection.table.txt`), [HEADER, ...rows].join("\n") + "\n");
});
const WRENS = 9;
const username = `reviewer-${Date.now()}`;
const projectName = `Review ${Date.now()}`;

const browser = await launch();
// A window where 18 clips do not fit one page: paging is part of the flow.
const { page, problems } = await openPage(browser, { viewport: { width: 1280, height: 720 } });
let step = 0;
const shot = (name) => page.screenshot({ path: join(artifacts, `review-${String(step++).padStart(2, "0")}-${name}.png`) });
const check = (ok, message) => {
  if (!ok) throw new Error(message);
};
const clips = page.getByRole("img", { name: /^Clip / });
const clip = (k) => clips.nth(k - 1);
const hook = (name) => page.evaluate((n) => window.sonagram.review[n], name);
const reviewed = (n, m) => page.getByText(`${n} of ${m} reviewed`, { exact: true }).waitFor();
const stateOf = (k) => clip(k).getAttribute("data-state");
const focusedClip = () => page.locator('[data-clip][aria-current="true"]');
/** Every clip of the page drawn from its tiles. */
const drawn = () =>
  page.waitForFunction(() => {
    const all = document.querySelectorAll("[data-clip]");
    return all.length > 0 && [...all].every((c) => c.getAttribute("data-drawn") === "true");
  }, null, { timeout: 30_000 });
const saved = () => page.getByRole("status").filter({ hasText: "All decisions saved" }).waitFor({ timeout: 30_000 });
/** Choose `option` in the Radix Select named `name`. */
const choose = async (name, option) => {
  await page.getByLabel(name, { exact: true }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
};

try {
  await signIn(page, uiUrl, username);
  await page.getByLabel("New project").fill(projectName);
  await page.getByRole("button", { name: "Create project" }).click();
  const detectorOutput = page.getByRole("region", { name: "Detector output" });
  await detectorOutput.waitFor();
  await page.getByLabel("Add recordings").setInputFiles(SITES.map((site) => join(audio, site)));
  for (const site of SITES) {
    await page.getByRole("row").filter({ hasText: site }).getByText("Completed").waitFor({ timeout: 180_000 });
  }
  const [chooser] = await Promise.all([
    page.waitForEvent("filechooser"),
    detectorOutput.getByRole("button", { name: "Import detector output" }).click(),
  ]);
  await chooser.setFiles(results);
  await detectorOutput.getByRole("status").getByText("3 files imported: 18 boxes on 3 recordings.").waitFor({ timeout: 30_000 });
  await checkAccessibility(page, "project with detections");
  await shot("project");

  // Review from the project: every box of the three recordings.
  await page.getByRole("link", { name: "Review", exact: true }).click();
  await page.getByRole("heading", { name: "Review" }).waitFor();
  await reviewed(0, 18);
  await drawn();
  const pageSize = await hook("pageSize");
  check(pageSize >= 12 && pageSize <= 24, `a page of ${pageSize} clips`);
  check((await clips.count()) === Math.min(18, pageSize), `the first page shows ${await clips.count()} clips of 18`);
  check((await clip(1).getAttribute("aria-current")) === "true", "the first clip is not the focused one");
  await checkAccessibility(page, "review queue");
  await shot("queue");

  // PageDown shows the next page (read ahead by the server's cursor); PageUp comes back.
  check(pageSize < 18, `all 18 clips fit one page of ${pageSize}: the window is too large to test paging`);
  await page.keyboard.press("PageDown");
  await page.getByText(`Page 2, clips ${pageSize + 1}–18`).waitFor();
  await drawn();
  check((await clips.count()) === 18 - pageSize, `the second page shows ${await clips.count()} clips`);
  await shot("second-page");
  await page.keyboard.press("PageUp");
  await page.getByText(`Page 1, clips 1–${pageSize}`).waitFor();
  check((await clips.count()) === pageSize, "PageUp did not come back to the first page");

  // z: the focused clip alone, large, for a close call; z again: the grid.
  const gridWidth = (await clip(1).boundingBox()).width;
  await page.keyboard.press("z");
  await page.waitForFunction(() => document.querySelectorAll("[data-clip]").length === 1);
  await drawn();
  check((await clip(1).boundingBox()).width > 2 * gridWidth, "one-clip mode does not show the clip large");
  await shot("one-clip");
  await page.keyboard.press("z");
  await page.waitForFunction((n) => document.querySelectorAll("[data-clip]").length === n, Math.min(18, pageSize));

  // Space plays the focused clip's time span and stops at its end.
  const [, startS, endS] = /(\d+\.\d)–(\d+\.\d) s/.exec(await focusedClip().textContent()).map(Number);
  await page.keyboard.press(" ");
  await page.waitForFunction(() => {
    const audio = document.querySelector("audio");
    return audio && !audio.paused && audio.currentTime > 0;
  });
  await page.waitForFunction(() => document.querySelector("audio").paused, null, { timeout: 10_000 });
  const stoppedAt = await page.evaluate(() => document.querySelector("audio").currentTime);
  check(stoppedAt >= endS && stoppedAt < endS + 0.5, `the clip ${startS}–${endS} s stopped playing at ${stoppedAt} s`);

  // One label, the stratified sample: the sample holds every Wren (one a bin), its order stable.
  await choose("Label", WREN);
  await reviewed(0, WRENS);
  await choose("Order", "Stratified sample");
  await page.getByLabel("Seed", { exact: true }).waitFor();
  await reviewed(0, WRENS);
  await drawn();
  check((await clips.count()) === WRENS, `the sample shows ${await clips.count()} clips`);
  const names = await clips.evaluateAll((all) => all.map((c) => c.getAttribute("aria-label")));
  check(names.every((name, i) => name.startsWith(`Clip ${i + 1} of ${WRENS}: ${WREN}, 0.`) && name.endsWith(", unreviewed")), `clips named ${JSON.stringify(names)}`);
  check(new URL(page.url()).searchParams.get("order") === "sample", `the URL ${page.url()} does not keep the order`);
  const ids = await clips.evaluateAll((all) => all.map((c) => c.getAttribute("data-clip")));
  await checkAccessibility(page, "sample of one label");
  await shot("sample");

  // Keys only: accept, reject, relabel by type-ahead, undo.
  await page.keyboard.press("a");
  await reviewed(1, WRENS);
  check((await stateOf(1)) === "accepted", "a did not accept the first clip");
  check((await focusedClip().getAttribute("data-clip")) === ids[1], "focus did not move to the next clip after a decision");
  await page.keyboard.press("r");
  await reviewed(2, WRENS);
  check((await stateOf(2)) === "rejected", "r did not reject the second clip");
  await page.keyboard.press("l");
  const relabel = page.getByRole("combobox", { name: "Relabel as" });
  await relabel.waitFor();
  await page.keyboard.type("chaff");
  await page.getByRole("option", { name: CHAFFINCH }).waitFor();
  await checkAccessibility(page, "relabel type-ahead");
  await shot("relabel");
  await page.keyboard.press("Enter");
  await reviewed(3, WRENS);
  check((await clip(3).getAttribute("aria-label")).startsWith(`Clip 3 of ${WRENS}: ${CHAFFINCH}`), "the relabel does not show on the clip");
  check((await stateOf(3)) === "accepted", "a relabelled box is not accepted");
  await shot("decided");
  await page.keyboard.press("Control+z");
  await reviewed(2, WRENS);
  check((await stateOf(3)) === "unreviewed", "Ctrl+Z did not take the relabel back");
  check((await clip(3).getAttribute("aria-label")).includes(WREN), "Ctrl+Z did not give the box its label back");
  check((await focusedClip().getAttribute("data-clip")) === ids[2], "Ctrl+Z did not focus the clip it took back");
  await page.keyboard.press("s"); // skip the third
  check((await focusedClip().getAttribute("data-clip")) === ids[3], "s did not skip to the next clip");
  await page.keyboard.press("ArrowLeft");
  check((await focusedClip().getAttribute("data-clip")) === ids[2], "ArrowLeft did not move back");
  await page.keyboard.press("a");
  await reviewed(3, WRENS);
  await saved();
  // Five decisions on three boxes; a box's decisions still waiting go as its last one.
  check((await hook("pending")) === 0 && (await hook("saved")) >= 3, "the test hook does not count the decisions saved");

  // ? shows the review's keys, from the table the page binds.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts: review" });
  await help.getByText("Accept the clip's box").waitFor();
  // Checked once the dialog has faded in: half-way, its text is paler than it will be.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
  await checkAccessibility(page, "review shortcuts");
  await shot("help");
  await page.keyboard.press("Escape");
  await help.waitFor({ state: "hidden" });

  // A decision, then a reload before it can be sent: the outbox sends it after the reload.
  await page.keyboard.press("r");
  await page.reload();
  await page.getByRole("heading", { name: "Review" }).waitFor();
  await reviewed(4, WRENS);
  await saved();
  await drawn();
  const states = await Promise.all([1, 2, 3, 4].map(stateOf));
  check(
    JSON.stringify(states) === JSON.stringify(["accepted", "rejected", "accepted", "rejected"]),
    `after the reload the first clips are ${JSON.stringify(states)}`,
  );
  check((await page.getByLabel("Label", { exact: true }).textContent()).includes(WREN), "the reload lost the label filter");
  await checkAccessibility(page, "after reload");
  await shot("reloaded");

  // The precision table moves with the decisions: Wren's four, read back from the server.
  const precision = page.getByRole("complementary", { name: "Precision" });
  await precision.getByRole("heading", { name: /Precision/ }).first().waitFor();
  const wrenSummary = (n, a, r) => precision.getByText(`${n} of ${WRENS} reviewed: ${a} accepted, ${r} rejected`).waitFor({ timeout: 30_000 });
  await wrenSummary(4, 2, 2);
  check((await precision.getByText(`No threshold reaches 0.9`).count()) === 1, "a threshold reaches 0.9 with half the reviews rejected");
  // Three more accepted by key (0.55, 0.65, 0.75): from 0.50 up every reviewed box is right.
  const focusOn = async (k) => {
    const at = ids.indexOf(await focusedClip().getAttribute("data-clip"));
    for (let i = at; i < k; i++) await page.keyboard.press("ArrowRight");
    for (let i = at; i > k; i--) await page.keyboard.press("ArrowLeft");
    check((await focusedClip().getAttribute("data-clip")) === ids[k], `arrows did not reach clip ${k + 1}`);
  };
  await focusOn(4);
  for (let i = 0; i < 3; i++) await page.keyboard.press("a");
  await reviewed(7, WRENS);
  await saved();
  await wrenSummary(7, 5, 2);
  const offer = precision.getByRole("button", { name: "Accept 2 unreviewed at ≥ 0.50" });
  await offer.waitFor({ timeout: 30_000 });
  await checkAccessibility(page, "precision with a threshold");
  await shot("precision");
  // Accept every unreviewed Wren at or above the threshold in one action; the queue reads again.
  await offer.click();
  await reviewed(9, WRENS);
  await wrenSummary(9, 7, 2);
  check((await stateOf(9)) === "accepted" && (await stateOf(8)) === "accepted", "the bulk accept does not show on the clips");
  await precision.getByRole("button", { name: "Undo" }).click();
  await reviewed(7, WRENS);
  await precision.getByRole("button", { name: "Accept 2 unreviewed at ≥ 0.50" }).click();
  await reviewed(9, WRENS);
  await shot("accepted-above");

  // Enter opens the focused box in the full viewer.
  await page.keyboard.press("Enter");
  await page.waitForURL(/[?&]recording=/);
  await page.getByRole("img", { name: /^Spectrogram/ }).waitFor();
  await page.waitForFunction(() => window.sonagram.annotations?.boxes().length === 6);
  await checkAccessibility(page, "box in the viewer");
  await shot("viewer");

  // Review on the recording's page: its own six boxes.
  await page.getByRole("link", { name: "Review", exact: true }).click();
  await page.getByRole("heading", { name: "Review" }).waitFor();
  await page.getByText(/^\d of 6 reviewed$/).waitFor();
  await drawn();
  check((await clips.count()) === 6, `the recording's queue shows ${await clips.count()} clips`);
  await checkAccessibility(page, "recording's queue");
  await shot("recording-queue");

  // The project's accepted boxes as one Raven table, with who reviewed each.
  await page.getByRole("link", { name: "← All recordings" }).click();
  await page.getByLabel("Project", { exact: true }).click();
  await page.getByRole("option", { name: projectName, exact: true }).click();
  const projectExport = page.getByRole("group", { name: "Export the project's boxes" });
  await projectExport.getByRole("checkbox", { name: "Only accepted boxes" }).check();
  const [download] = await Promise.all([page.waitForEvent("download"), projectExport.getByRole("button", { name: "Export" }).click()]);
  const table = readFileSync(await download.path(), "utf8").trim().split("\n").map((line) => line.split("\t"));
  const [columns, ...rows] = table;
  const at = (name) => columns.indexOf(name);
  check(["Begin File", "Review", "Reviewer"].every((name) => at(name) >= 0), `the export's columns are ${columns.join(", ")}`);
  check(rows.length === 7, `the export holds ${rows.length} boxes, not the 7 accepted`);
  check(rows.every((row) => row[at("Review")] === "accepted" && row[at("Reviewer")] === username), `the export's review columns: ${JSON.stringify(rows.map((row) => [row[at("Review")], row[at("Reviewer")]]))}`);
  check(new Set(rows.map((row) => row[at("Begin File")])).size === 3, "the export does not name the three recordings");
  await checkAccessibility(page, "project export");
  await shot("exported");
} catch (failure) {
  await page.screenshot({ path: join(artifacts, "review-failed.png"), fullPage: true });
  throw failure;
} finally {
  await browser.close();
}
if (problems.length) throw new Error(problems.join("\n"));
console.log("review flow passed");
