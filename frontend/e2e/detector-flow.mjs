// Issue 17's detector flow in real Chromium against the stack `make run` starts.
// Run by tests/integration/test_browser.py: node e2e/detector-flow.mjs UI_URL ARTIFACTS_DIR
// A project with an enabled preset → upload a WAV of whistles → the proposals appear dashed,
// counted, with measurements → Columns shows one (remembered over a reload) → Show proposals
// hides and shows them → relabelling one accepts it → Run detector re-runs the recording (the
// accepted box stays) → Run detector on the project queues its recording.
// Screenshots of each step go to ARTIFACTS_DIR.
import { join } from "node:path";
import { checkAccessibility } from "./axe.mjs";
import { launch, openPage, signIn } from "./browser.mjs";
import { writeWhistles } from "./wav.mjs";

const [uiUrl, artifacts] = process.argv.slice(2);
const wav = join(artifacts, "detector whistles.wav");
writeWhistles(wav); // a 0.5 s whistle rising 3 -> 5 kHz at 0, 2, 4, ... 10 s
const WHISTLES_S = [0, 2, 4, 6, 8, 10];
const SOURCE = "detector:Whistles";

const browser = await launch();
const { page, problems } = await openPage(browser);
let step = 0;
const shot = (name) => page.screenshot({ path: join(artifacts, `detector-${String(step++).padStart(2, "0")}-${name}.png`) });
const check = (ok, message) => {
  if (!ok) throw new Error(message);
};
const boxes = () => page.evaluate(() => window.sonagram.annotations.boxes());
const proposals = async () => (await boxes()).filter((box) => box.source === SOURCE && box.review === null);
const saved = () => page.waitForFunction(() => window.sonagram.annotations.status() === "Saved");
const viewer = (name, ...args) =>
  page.evaluate(([n, a]) => {
    const hook = window.sonagram.viewer;
    return typeof hook[n] === "function" ? hook[n](...a) : hook[n];
  }, [name, args]);
/**
 * Pixels of the colour `hex` (a label's, as the legend gives it) down the plot's column at
 * time `seconds`, and all pixels there.
 */
const colourAt = (seconds, hex) =>
  viewer("timeToX", seconds).then((x) =>
    page.evaluate(([plotX, wanted]) => {
      const canvas = document.querySelector(".box-layer canvas");
      const left = canvas.getBoundingClientRect().left;
      const ratio = canvas.width / canvas.clientWidth;
      const column = Math.round((plotX - left) * ratio);
      const pixels = canvas.getContext("2d").getImageData(column, 0, 1, canvas.height).data;
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(wanted.slice(i, i + 2), 16));
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const near = Math.abs(pixels[i] - r) < 40 && Math.abs(pixels[i + 1] - g) < 40 && Math.abs(pixels[i + 2] - b) < 40;
        if (near && pixels[i + 3] > 200) coloured++;
      }
      return { coloured, rows: canvas.height };
    }, [x, hex]),
  );
/** The colour the legend gives `label`. */
const legendColour = (label) =>
  page.getByRole("list", { name: "Colour key" }).getByRole("listitem").filter({ hasText: label }).getAttribute("data-colour");

try {
  const username = `detector-${Date.now()}`;
  await signIn(page, uiUrl, username);

  // A project with one enabled preset listening at 2-6 kHz, where the whistles are.
  const projectName = `Whistles ${Date.now()}`;
  await page.getByLabel("New project").fill(projectName);
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("button", { name: "Detector presets" }).click();
  const presets = page.getByRole("region", { name: "Detector presets" });
  await presets.getByText("No presets yet.").waitFor();
  await presets.getByRole("button", { name: "Add preset" }).click();
  await presets.getByLabel("Name").fill("Whistles");
  await presets.getByLabel("Min frequency (Hz)").fill("2000");
  await presets.getByLabel("Max frequency (Hz)").fill("6000");
  // Every number is explained beside its field, with its default and limits.
  await presets.getByText("Lowest frequency of the band the detector listens to.").waitFor();
  await shot("preset-form");
  await checkAccessibility(page, "preset form");
  // A field out of its limits is named before anything is sent.
  await presets.getByLabel("SNR threshold (dB)").fill("-3");
  await presets.getByText("SNR threshold must be from 0 to 100 dB.").waitFor();
  check(await presets.getByRole("button", { name: "Save presets" }).isDisabled(), "Save was offered with a wrong field");
  await presets.getByLabel("SNR threshold (dB)").fill("6");
  // A rule between fields is the server's: its 400 lands by the field it names.
  await presets.getByLabel("Max frequency (Hz)").fill("1000");
  await presets.getByRole("button", { name: "Save presets" }).click();
  await presets.locator(".field-problem").filter({ hasText: "min_freq_hz" }).waitFor();
  await shot("preset-refused");
  await checkAccessibility(page, "preset refused");
  await presets.getByLabel("Max frequency (Hz)").fill("6000");
  await presets.getByRole("button", { name: "Save presets" }).click();
  await presets.getByText("Presets saved.").waitFor();
  check((await presets.locator(".field-problem").count()) === 0, "the server's refusal still shows after the save");
  check(await presets.getByLabel("Enable Whistles").isChecked(), "the new preset is not enabled");
  await shot("preset-saved");

  // Upload into the project: the render runs the preset in the same pass.
  await page.getByLabel("Add recordings").setInputFiles([wav]);
  const row = page.getByRole("row").filter({ hasText: "detector whistles.wav" });
  await row.getByText("Completed").waitFor({ timeout: 120_000 });
  await row.getByRole("link", { name: "detector whistles.wav" }).click();
  await page.getByRole("img", { name: /^Spectrogram/ }).waitFor();
  await viewer("drawn");

  // The proposals: one per whistle, each with its measurements once measured.
  await page.waitForFunction(
    (source) => window.sonagram.annotations.boxes().filter((box) => box.source === source).length >= 5,
    SOURCE,
    { timeout: 60_000 },
  );
  await page.waitForFunction(() => window.sonagram.annotations.measuring().length === 0, null, { timeout: 60_000 });
  const found = await proposals();
  for (const whistle of WHISTLES_S.slice(1, -1)) {
    check(
      found.some((box) => box.start_s < whistle + 0.5 && box.end_s > whistle),
      `no proposal over the whistle at ${whistle} s: ${JSON.stringify(found.map((b) => [b.start_s, b.end_s]))}`,
    );
  }
  await page.waitForFunction(
    (source) =>
      window.sonagram.annotations
        .boxes()
        .filter((box) => box.source === source)
        .every((box) => typeof box.measurements["Peak Freq (Hz)"] === "number"),
    SOURCE,
    { timeout: 60_000 },
  );
  const list = page.getByRole("region", { name: "Boxes" });
  await list.getByText(`${found.length} proposals`).waitFor();
  check((await list.locator(".proposal-tag").count()) === found.length, "the list does not mark every proposal");
  // Drawn dashed in their label's colour, which the legend shows: down a proposal's left edge
  // some pixels have it, not all.
  const colour = await legendColour(found[0].label);
  const edge = await colourAt(found[0].start_s, colour);
  check(edge.coloured > 0 && edge.coloured < edge.rows, `the proposal's edge has ${edge.coloured} pixels of ${colour} of ${edge.rows}`);
  await shot("proposals");
  await checkAccessibility(page, "proposals");

  // Columns: Peak F shows each proposal's peak in kHz, and is still there after a reload.
  await list.getByRole("button", { name: "Columns" }).click();
  const columnPicker = page.getByRole("dialog", { name: "Measurement columns" });
  await columnPicker.getByLabel("Peak F", { exact: true }).check();
  await checkAccessibility(page, "column picker");
  await page.keyboard.press("Escape");
  await list.getByRole("columnheader", { name: "Peak F" }).waitFor();
  check(
    (await list.locator("tr.proposal td.number").allTextContents()).some((cell) => / kHz$/.test(cell)),
    "no proposal shows its peak frequency in kHz",
  );
  const whole = await viewer("view");
  await page.reload();
  await page.getByRole("img", { name: /^Spectrogram/ }).waitFor();
  await list.getByRole("columnheader", { name: "Peak F" }).waitFor();
  await viewer("drawn");
  // The link's zoom out to the whole recording opens the whole recording again, not the zoom
  // the window's width would give.
  const reopened = await viewer("view");
  check(
    Math.abs(reopened.pxPerS - whole.pxPerS) <= whole.pxPerS * 1e-3 && reopened.startS === whole.startS,
    `the reload showed ${JSON.stringify(reopened)}, not ${JSON.stringify(whole)}`,
  );
  await shot("peak-column");
  await checkAccessibility(page, "measurement column");

  // Show proposals off: none drawn, none listed, still counted.
  await page.getByLabel("Show proposals").uncheck();
  await list.getByText(`${found.length} proposals (hidden)`).waitFor();
  check((await list.locator(".proposal-tag").count()) === 0, "hidden proposals are still listed");
  // Every box is a hidden proposal here: the list says so rather than "No boxes yet".
  await list.getByText("Every box here is a hidden proposal: tick Show proposals to list them").waitFor();
  await viewer("drawn");
  check((await colourAt(found[0].start_s, colour)).coloured === 0, "hidden proposals are still drawn");
  await shot("proposals-hidden");
  await page.getByLabel("Show proposals").check();

  // Relabelling a proposal accepts it: reviewed by this user, its label before remembered.
  const first = found[0];
  await list.getByRole("button", { name: first.label || "unlabelled", exact: true }).first().click();
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("Enter");
  await page.getByLabel("Label").fill("whistle");
  await page.getByLabel("Label").press("Enter");
  await saved();
  const accepted = (await boxes()).find((box) => box.id === first.id);
  check(
    accepted.label === "whistle" && accepted.review?.state === "accepted" && accepted.review.by === username &&
      accepted.review.label_before === first.label,
    `the relabelled proposal is ${JSON.stringify(accepted)}`,
  );
  await list.getByText(`${found.length - 1} proposals`).waitFor();
  await shot("accepted");

  // Run detector again: its unreviewed proposals are replaced, the accepted box stays.
  // The upload's own run already says done: the new one is queued first (the POST's answer).
  await page.getByRole("button", { name: "Run detector" }).click();
  await page.getByText(/^Detector (queued|running)/).waitFor();
  await page.getByText("Detector done").waitFor({ timeout: 120_000 });
  await page.getByRole("list", { name: "Detector diagnostics" }).getByText(/^Whistles: \d+ proposals? from \d+ candidates?/).waitFor();
  await page.waitForFunction((id) => window.sonagram.annotations.boxes().some((box) => box.id === id), first.id);
  const after = await boxes();
  check(after.find((box) => box.id === first.id)?.label === "whistle", "the re-run touched the accepted box");
  check(
    (await proposals()).length >= WHISTLES_S.length - 2,
    `after the re-run ${after.length} boxes: ${JSON.stringify(after.map((b) => [b.source, b.review?.state]))}`,
  );
  await shot("re-run");
  await checkAccessibility(page, "re-run");

  // Run detector on the whole project: its one recording is queued.
  await page.getByRole("link", { name: "← All recordings" }).click();
  await page.getByRole("heading", { name: "Recordings" }).waitFor();
  // The listing opens on all recordings: choose the project again.
  // (By name: the click waits for the option, which comes once the projects are read.)
  await page.getByLabel("Project", { exact: true }).click();
  await page.getByRole("option", { name: projectName }).click();
  await page.getByRole("button", { name: "Detector presets" }).click();
  await presets.getByRole("button", { name: "Run detector" }).click();
  await presets.getByText("Detector queued on 1 recording").waitFor();
  // The list follows the run until its row says how many proposals it made.
  await page
    .getByRole("row")
    .filter({ hasText: "detector whistles.wav" })
    .getByText(/^Detector: \d+ proposals?$/)
    .waitFor({ timeout: 120_000 });
  await shot("project-run");
  await checkAccessibility(page, "project run");
} catch (failure) {
  await page.screenshot({ path: join(artifacts, "detector-failed.png"), fullPage: true });
  throw failure;
} finally {
  await browser.close();
}
if (problems.length) throw new Error(problems.join("\n"));
console.log("detector flow passed");
