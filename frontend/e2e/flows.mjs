// The annotator's day in real Chromium against the stack `make run` starts: sign in,
// upload the sample MP3, a generated WAV, a text file named .mp3 and one named .txt; see
// them render (or fail, with the reason); open the WAV, zoom to a whistle, play it, box
// and label it, reload (same view, same box), export a Raven table that holds the box;
// mark a point, select, move, relabel, export, delete and undo it, and jump to it; mark
// one with M while listening.
// Run by tests/integration/test_browser.py: node e2e/flows.mjs UI_URL SAMPLE_MP3 ARTIFACTS_DIR
// Screenshots of each step go to ARTIFACTS_DIR.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { checkAccessibility } from "./axe.mjs";
import { launch, openPage, signIn } from "./browser.mjs";
import { writeWhistles } from "./wav.mjs";

const [uiUrl, sampleMp3, artifacts] = process.argv.slice(2);
const wav = join(artifacts, "whistles.wav");
writeWhistles(wav); // a 0.5 s whistle rising 3 -> 5 kHz at 0, 2, 4, ... 10 s
const fakeMp3 = join(artifacts, "field notes.mp3");
writeFileSync(fakeMp3, "Site 4, 05:12, wind 2 Bft. Not audio at all.\n".repeat(20));
const notes = join(artifacts, "notes.txt");
writeFileSync(notes, "not audio");

const browser = await launch();
const { page, problems } = await openPage(browser);
// Every step runs under the UI server's Content-Security-Policy: openPage fails the run on any refusal.
let step = 0;
const shot = (name) => page.screenshot({ path: join(artifacts, `${String(step++).padStart(2, "0")}-${name}.png`) });
const check = (ok, message) => {
  if (!ok) throw new Error(message);
};
// A box as its author left it: every field but `measurements`, which the server computes from
// the audio and may fill in between two reads, so comparing them would fail (or pass) by
// timing, not by what the person did; and but `updated_at`, when the server last stored it
// (a box deleted and brought back by undo is stored anew).
const asAuthored = ({ measurements: _computed, updated_at: _stored, ...authored }) => JSON.stringify(authored);
const viewer = (name, ...args) => page.evaluate(([n, a]) => {
  const hook = window.sonagram.viewer;
  return typeof hook[n] === "function" ? hook[n](...a) : hook[n];
}, [name, args]);

try {
  await page.goto(uiUrl);
  await page.getByLabel("Username").waitFor();
  await shot("sign-in");
  await checkAccessibility(page, "sign-in");
  // A name of its own: the rows below are this run's uploads only, on any stack.
  await signIn(page, uiUrl, `annotator-${Date.now()}`);
  await shot("signed-in");
  await checkAccessibility(page, "signed-in");

  // Uploads: progress bars, a refusal before upload, a server-side failure on the file.
  await page.getByLabel("Add recordings").setInputFiles([sampleMp3, wav, fakeMp3, notes]);
  await page.getByText("notes.txt is not a supported audio file").waitFor();
  await page.getByRole("progressbar", { name: "Upload of whistles.wav" }).waitFor();
  await shot("uploading");
  const row = (name) => page.getByRole("row").filter({ hasText: name });
  for (const name of [basename(sampleMp3), "whistles.wav"]) {
    await row(name).getByText("Completed").waitFor({ timeout: 120_000 });
  }
  await row("field notes.mp3").getByText("Failed").waitFor({ timeout: 120_000 });
  await row("field notes.mp3").getByText(/not an audio file/).waitFor();
  await shot("rendered-and-failed");
  await checkAccessibility(page, "listing");

  // Open the WAV: the URL names it, the spectrogram is drawn.
  await page.getByRole("link", { name: "whistles.wav" }).click();
  await page.waitForURL(/\?recording=/);
  const recordingId = new URL(page.url()).searchParams.get("recording");
  const spectrogram = page.getByRole("img", { name: /^Spectrogram/ });
  await spectrogram.waitFor();
  await viewer("drawn");
  await shot("opened");
  await checkAccessibility(page, "recording opened");

  // Zoom at the cursor onto the whistle at 4 s until at least 200 px/s.
  const plot = await spectrogram.boundingBox();
  const y = plot.y + plot.height / 2;
  for (let i = 0; i < 20 && (await viewer("view")).pxPerS < 200; i++) {
    await page.mouse.move(await viewer("timeToX", 4.25), y);
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(30);
  }
  const zoomed = await viewer("view");
  check(zoomed.pxPerS >= 200, `the wheel zoomed only to ${zoomed.pxPerS} px/s`);
  const underCursor = await viewer("xToTime", await viewer("timeToX", 4.25));
  check(Math.abs(underCursor - 4.25) < 1e-6, "the time under the cursor moved while zooming");
  await viewer("drawn");
  await shot("zoomed");

  // Click on the whistle's start seeks there; Play: the audio clock moves, the button
  // says Pause; then pause again. The view stays: the cursor is well inside it.
  await page.mouse.click(await viewer("timeToX", 4.0), y);
  await page.waitForFunction(() => Math.abs(window.sonagram.audio.currentTime() - 4.0) < 0.01);
  await page.getByRole("button", { name: "Play" }).click();
  await page.getByRole("button", { name: "Pause" }).waitFor();
  const clock = () => page.evaluate(() => window.sonagram.audio.currentTime());
  const heard = await clock();
  await page.waitForFunction((t) => window.sonagram.audio.currentTime() > t + 0.3, heard, { timeout: 10_000 });
  await shot("playing");
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Play" }).waitFor();
  // Space plays and pauses from anywhere but a text field or a control.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("Space");
  await page.getByRole("button", { name: "Pause" }).waitFor();
  await page.keyboard.press("Space");
  await page.getByRole("button", { name: "Play" }).waitFor();
  const after = await viewer("view");
  check(after.startS === zoomed.startS, `playing moved the view from ${zoomed.startS} s to ${after.startS} s`);
  check((await page.locator("audio").count()) === 1, "the page has more than one <audio>");

  // Draw a box round the whistle at 4.0-4.5 s, 2.8-5.2 kHz; type its label; Enter saves.
  const from = { x: await viewer("timeToX", 4.0), y: await viewer("hzToY", 5200) };
  const to = { x: await viewer("timeToX", 4.5), y: await viewer("hzToY", 2800) };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  const label = page.getByLabel("Label");
  await label.waitFor();
  check(await label.evaluate((field) => field === document.activeElement), "the Label field has no focus");
  await label.fill("rising whistle");
  await label.press("Enter");
  await page.getByRole("region", { name: "Boxes" }).getByText("rising whistle").waitFor();
  await page.waitForFunction(() => window.sonagram.annotations.status() === "Saved");
  await shot("boxed");
  await checkAccessibility(page, "box labelled");
  const [drawn] = await page.evaluate(() => window.sonagram.annotations.boxes());
  const view = await viewer("view");
  const secondsPerPx = 1 / view.pxPerS;
  const hzPerPx = (view.fMaxHz - view.fMinHz) / view.heightPx;
  const near = (a, b, tolerance) => Math.abs(a - b) <= tolerance;
  check(
    near(drawn.start_s, 4.0, secondsPerPx) && near(drawn.end_s, 4.5, secondsPerPx) &&
      near(drawn.low_hz, 2800, hzPerPx) && near(drawn.high_hz, 5200, hzPerPx),
    `the box was saved as ${JSON.stringify(drawn)}`,
  );

  // Reload: the same recording, view and box.
  await page.waitForFunction(() => new URL(location.href).searchParams.get("t") !== null);
  await page.reload();
  await spectrogram.waitFor();
  await viewer("drawn");
  await page.getByRole("region", { name: "Boxes" }).getByText("rising whistle").waitFor();
  const restored = await viewer("view");
  check(
    near(restored.startS, view.startS, 0.001) && near(restored.pxPerS, view.pxPerS, view.pxPerS * 1e-3),
    `the reload showed ${JSON.stringify(restored)}, not ${JSON.stringify(view)}`,
  );
  const [reloaded] = await page.evaluate(() => window.sonagram.annotations.boxes());
  check(asAuthored(reloaded) === asAuthored(drawn), `the reload gave ${JSON.stringify(reloaded)}`);
  await shot("reloaded");

  // The import form and a list to choose from (Speed) are readable and named too.
  await page.getByRole("button", { name: "Import…" }).click();
  await page.getByLabel("Import annotations").waitFor();
  await shot("import-form");
  await checkAccessibility(page, "import form");
  await page.keyboard.press("Escape");
  await page.getByLabel("Import annotations").waitFor({ state: "detached" });
  await page.getByRole("combobox", { name: "Speed" }).click();
  await page.getByRole("option", { name: "1×" }).waitFor();
  await checkAccessibility(page, "speed list");
  await page.getByRole("option", { name: "1×" }).click();
  await page.getByRole("option", { name: "1×" }).waitFor({ state: "detached" });

  // Export Raven: the downloaded table holds the box.
  await page.getByRole("button", { name: "Export" }).click();
  await shot("export-menu");
  await checkAccessibility(page, "export menu");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("menuitem", { name: "Raven" }).click(),
  ]);
  const table = join(artifacts, download.suggestedFilename());
  await download.saveAs(table);
  const lines = readFileSync(table, "utf8").trim().split(/\r\n/);
  check(lines.length === 2 && lines[1].includes("rising whistle"), `the Raven table holds:\n${lines.join("\n")}`);
  const begin = Number(lines[1].split("\t")[3]);
  check(near(begin, drawn.start_s, 1e-6), `Raven's Begin Time is ${begin}, the box starts at ${drawn.start_s}`);

  // Someone else changes the boxes meanwhile (another tab, a colleague): my next box
  // shows a conflict instead of overwriting theirs; Keep mine saves mine on top of theirs.
  const apiUrl = (await (await fetch(new URL("/config.json", uiUrl))).json()).apiUrl;
  const token = await page.evaluate(() => sessionStorage.getItem("sonagram.token"));
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const boxesUrl = `${apiUrl}/recordings/${recordingId}/annotations`;
  const read = async () => (await fetch(boxesUrl, { headers })).json();
  const theirs = { id: "theirs", start_s: 6.0, end_s: 6.5, low_hz: 2800, high_hz: 5200, label: "their whistle" };
  const patched = await fetch(boxesUrl, {
    method: "PATCH",
    headers,
    body: JSON.stringify({ version: (await read()).version, upsert: [theirs] }),
  });
  check(patched.ok, `the other editor's PATCH answered ${patched.status}`);
  await page.mouse.move(await viewer("timeToX", 5.0), await viewer("hzToY", 2000));
  await page.mouse.down();
  await page.mouse.move(await viewer("timeToX", 5.4), await viewer("hzToY", 1000), { steps: 5 });
  await page.mouse.up();
  await label.fill("mine");
  await label.press("Enter");
  await page.getByText("Someone else changed these boxes").waitFor();
  await shot("conflict");
  await checkAccessibility(page, "conflict");
  await page.getByRole("button", { name: "Keep mine" }).click();
  await page.waitForFunction(() => window.sonagram.annotations.status() === "Saved");
  const kept = (await read()).annotations.map((box) => box.label).sort();
  check(
    JSON.stringify(kept) === JSON.stringify(["mine", "rising whistle", "their whistle"]),
    `after Keep mine the server holds ${JSON.stringify(kept)}`,
  );

  // The box list jumps to a box: theirs comes into view.
  await page.getByRole("region", { name: "Boxes" }).getByRole("button", { name: "their whistle", exact: true }).click();
  await page.waitForFunction(() => {
    const v = window.sonagram.viewer.view;
    return v.startS <= 6.0 && v.startS + v.widthPx / v.pxPerS >= 6.5;
  });
  await viewer("drawn");
  await shot("jumped-to-theirs");

  // A point: a double-click on empty space marks one at that time, across the band; its
  // label is typed as a box's.
  const boxesList = page.getByRole("region", { name: "Boxes" });
  const saved = () => page.waitForFunction(() => window.sonagram.annotations.status() === "Saved");
  const pointNamed = async (name) =>
    (await page.evaluate(() => window.sonagram.annotations.boxes())).find((box) => box.label === name);
  const pointY = await viewer("hzToY", 8000);
  await page.mouse.dblclick(await viewer("timeToX", 7.2), pointY);
  await label.waitFor();
  await label.fill("click");
  await label.press("Enter");
  await boxesList.getByText("click", { exact: true }).waitFor();
  await saved();
  const marked = await pointNamed("click");
  const pointView = await viewer("view");
  check(
    marked && marked.start_s === marked.end_s && near(marked.start_s, 7.2, 1 / pointView.pxPerS) &&
      marked.low_hz === null && marked.high_hz === null,
    `the point was saved as ${JSON.stringify(marked)}`,
  );
  const pointRow = boxesList.locator("tr").filter({ hasText: "click" });
  check((await pointRow.getByText("point", { exact: true }).count()) === 1, "the list does not say it is a point");
  const [startCell, endCell] = await pointRow.locator("td.number").allTextContents();
  check(startCell === endCell, `the list shows the point from ${startCell} to ${endCell}`);
  await shot("point-marked");

  // Escape lets it go; a click 3 px beside its line takes it again; a drag moves it 0.5 s.
  await page.keyboard.press("Escape");
  await page.locator('tr[aria-current="true"]').waitFor({ state: "detached" });
  const beside = (await viewer("timeToX", marked.start_s)) + 3;
  await page.mouse.click(beside, pointY);
  await boxesList.locator('tr[aria-current="true"]').filter({ hasText: "click" }).waitFor();
  await page.mouse.move(beside, pointY);
  await page.mouse.down();
  await page.mouse.move(beside + 0.25 * pointView.pxPerS, pointY + 40, { steps: 4 });
  await page.mouse.move(beside + 0.5 * pointView.pxPerS, pointY + 80, { steps: 4 });
  await page.mouse.up();
  await saved();
  const moved = await pointNamed("click");
  check(
    moved.start_s === moved.end_s && near(moved.start_s, marked.start_s + 0.5, 1 / pointView.pxPerS) &&
      moved.low_hz === null,
    `the moved point is ${JSON.stringify(moved)}`,
  );
  await shot("point-moved");

  // Enter relabels it, as a box.
  await page.keyboard.press("Enter");
  await label.fill("snap");
  await label.press("Enter");
  await boxesList.getByText("snap", { exact: true }).waitFor();
  await saved();
  await shot("point-relabelled");
  // A double-click on it opens its label too; Escape keeps the label.
  await page.mouse.dblclick((await viewer("timeToX", moved.start_s)) + 2, pointY);
  await label.waitFor();
  check((await label.inputValue()) === "snap", `the label field holds ${await label.inputValue()}`);
  await label.press("Escape");
  await label.waitFor({ state: "detached" });

  // Every export writes it as a point: the same time twice.
  const point = await pointNamed("snap");
  const exported = {};
  for (const format of ["Raven", "Audacity", "CSV", "JSON"]) {
    await page.getByRole("button", { name: "Export" }).click();
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("menuitem", { name: format }).click(),
    ]);
    const saveAs = join(artifacts, file.suggestedFilename());
    await file.saveAs(saveAs);
    exported[format] = readFileSync(saveAs, "utf8");
    // The menu fades out after a choice: a press on Export before it has gone only dismisses it.
    await page.getByRole("menu", { name: "Export format" }).waitFor({ state: "detached" });
  }
  // Raven's Begin and End, Audacity's start and end, our CSV's start_time and end_time.
  const times = (text, separator, first) => {
    const cells = text.split(/\r?\n/).find((line) => line.includes("snap")).split(separator);
    return [Number(cells[first]), Number(cells[first + 1])];
  };
  const written = {
    Raven: times(exported.Raven, "\t", 3),
    Audacity: times(exported.Audacity, "\t", 0),
    CSV: times(exported.CSV, ",", 3),
    JSON: (({ start_s, end_s }) => [start_s, end_s])(
      JSON.parse(exported.JSON).annotations.find((box) => box.label === "snap"),
    ),
  };
  for (const [format, [start, end]] of Object.entries(written)) {
    check(
      start === end && near(start, point.start_s, 1e-6),
      `the ${format} export writes the point at ${point.start_s} s from ${start} to ${end} s`,
    );
  }

  // Delete deletes it (once the spectrogram has the keys again); Ctrl+Z brings it back.
  await page.mouse.click((await viewer("timeToX", point.start_s)) - 2, pointY);
  await boxesList.locator('tr[aria-current="true"]').filter({ hasText: "snap" }).waitFor();
  await page.keyboard.press("Delete");
  await boxesList.getByText("snap", { exact: true }).waitFor({ state: "detached" });
  await saved();
  await page.keyboard.press("Control+z");
  await boxesList.getByText("snap", { exact: true }).waitFor();
  await saved();
  check(asAuthored(await pointNamed("snap")) === asAuthored(point), "the undone point came back changed");

  // Scrolled away from it, the list jumps back to it.
  await page.getByLabel("Time position").fill("0");
  await page.waitForFunction((s) => {
    const v = window.sonagram.viewer.view;
    return v.startS + v.widthPx / v.pxPerS < s;
  }, point.start_s);
  await boxesList.getByRole("button", { name: "snap", exact: true }).click();
  await page.waitForFunction((s) => {
    const v = window.sonagram.viewer.view;
    return v.startS < s && v.startS + v.widthPx / v.pxPerS > s;
  }, point.start_s);
  await viewer("drawn");
  await shot("jumped-to-point");

  // While the audio plays, M marks a point where it is, the Play button focused or not.
  await page.evaluate(() => window.sonagram.audio.seek(8.75));
  await page.getByRole("button", { name: "Play" }).click();
  await page.waitForFunction(() => window.sonagram.audio.currentTime() > 8.85);
  const beforeKey = await clock();
  await page.keyboard.press("m");
  const afterKey = await clock();
  await label.waitFor();
  await label.fill("tap");
  await shot("point-label-field");
  await checkAccessibility(page, "label field");
  await label.press("Enter");
  await page.getByRole("button", { name: "Pause" }).click();
  await saved();
  const tapped = await pointNamed("tap");
  check(
    tapped && tapped.start_s === tapped.end_s && tapped.start_s >= beforeKey && tapped.start_s <= afterKey,
    `M pressed between ${beforeKey} and ${afterKey} s marked ${JSON.stringify(tapped)}`,
  );
  await viewer("drawn");
  await shot("point-by-key");
  // Let go (Escape, from the page rather than the Pause button): an unselected point is drawn
  // in its label's colour.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("Escape");
  await page.locator('tr[aria-current="true"]').waitFor({ state: "detached" });
  await viewer("drawn");
  await shot("point-let-go");
} catch (failure) {
  await page.screenshot({ path: join(artifacts, "failed.png"), fullPage: true });
  throw failure;
} finally {
  await browser.close();
}
if (problems.length) throw new Error(problems.join("\n"));
console.log("flows passed");
