// Issue 18's keyboard-first viewer in real Chromium against the stack `make run` starts.
// Run by tests/integration/test_browser.py: node e2e/keys-flow.mjs UI_URL ARTIFACTS_DIR
// A project's label keys set in its editor → a WAV uploaded into it → d turns draw mode on
// and two drags draw two boxes, no label field in the way → Shift+Tab and Tab step between
// them (the view follows; past the last, Tab moves on) → 2 gives the box the project's
// label for key 2 → p plays the box and stops at its end, o loops it → ? shows every viewer
// row of the shortcut table and the label keys. axe-core checks each step; screenshots go
// to ARTIFACTS_DIR.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkAccessibility } from "./axe.mjs";
import { launch, openPage, signIn } from "./browser.mjs";
import { writeWhistles } from "./wav.mjs";

const [uiUrl, artifacts] = process.argv.slice(2);
const wav = join(artifacts, "keys whistles.wav");
writeWhistles(wav); // a 0.5 s whistle rising 3 -> 5 kHz at 0, 2, 4, ... 10 s

// What the help must show: the viewer's rows of the one shortcut table, read from its source.
const table = readFileSync(new URL("../src/keys/shortcuts.ts", import.meta.url), "utf8");
const viewerRows = [...table.matchAll(/scope: "viewer", keys: \[[^\]]*\], does: "([^"]+)"/g)].map((m) => m[1]);

const browser = await launch();
const { page, problems } = await openPage(browser);
// Radix's dialogs and popovers run under the UI server's Content-Security-Policy too.
await page.addInitScript(() =>
  document.addEventListener("securitypolicyviolation", (e) =>
    console.error(`Content Security Policy: ${e.effectiveDirective} refused ${e.blockedURI}`)),
);
page.on("console", (message) => {
  if (message.text().includes("Content Security Policy")) problems.push(message.text());
});
let step = 0;
const shot = (name) => page.screenshot({ path: join(artifacts, `keys-${String(step++).padStart(2, "0")}-${name}.png`) });
const check = (ok, message) => {
  if (!ok) throw new Error(message);
};
/** A screenshot and axe-core's check of the page as it stands. */
const stepDone = async (name) => {
  await shot(name);
  await checkAccessibility(page, name);
};
const viewer = (name, ...args) =>
  page.evaluate(([n, a]) => {
    const hook = window.sonagram.viewer;
    return typeof hook[n] === "function" ? hook[n](...a) : hook[n];
  }, [name, args]);
const boxes = () => page.evaluate(() => window.sonagram.annotations.boxes());
const selectedId = () => page.evaluate(() => window.sonagram.annotations.selectedId());
const audio = () => page.evaluate(() => ({ t: window.sonagram.audio.currentTime(), paused: window.sonagram.audio.paused() }));
const saved = () => page.waitForFunction(() => window.sonagram.annotations.status() === "Saved");
const onBoxes = () => page.evaluate(() => document.activeElement?.hasAttribute("data-box-keys") ?? false);
/** Drag across the plot from (s, Hz) to (s, Hz). */
async function drag(fromS, fromHz, toS, toHz) {
  const from = { x: await viewer("timeToX", fromS), y: await viewer("hzToY", fromHz) };
  const to = { x: await viewer("timeToX", toS), y: await viewer("hzToY", toHz) };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
}

try {
  await signIn(page, uiUrl, `keys-${Date.now()}`);
  const projectName = `Keys ${Date.now()}`;
  await page.getByLabel("New project").fill(projectName);
  await page.getByRole("button", { name: "Create project" }).click();
  await stepDone("project");

  // Label keys on the project: Key 1 and Key 2, saved together; the server's answer stays.
  await page.getByRole("button", { name: "Label keys" }).click();
  const editor = page.getByRole("form", { name: "Label keys" });
  await editor.getByLabel("Key 9").waitFor();
  await editor.getByLabel("Key 1").fill("Chiffchaff");
  await editor.getByLabel("Key 2").fill("  Wren ");
  await editor.getByRole("button", { name: "Save label keys" }).click();
  await editor.getByText("Label keys saved.").waitFor();
  check((await editor.getByLabel("Key 2").inputValue()) === "Wren", "the saved key 2 is not the trimmed label");
  await stepDone("label-keys");
  await page.keyboard.press("Escape");
  await editor.waitFor({ state: "detached" });

  // A recording in the project.
  await page.getByLabel("Add recordings").setInputFiles([wav]);
  const row = page.getByRole("row").filter({ hasText: "keys whistles.wav" });
  await row.getByText("Completed").waitFor({ timeout: 120_000 });
  await row.getByRole("link", { name: "keys whistles.wav" }).click();
  await page.getByRole("img", { name: /^Spectrogram/ }).waitFor();
  await viewer("drawn");
  const legend = page.getByRole("list", { name: "Label keys" });
  await legend.getByText("Wren").waitFor();
  await stepDone("viewer");

  // d: draw mode on, as the toggle shows; two drags draw two boxes and no label field opens.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("d");
  const drawMode = page.getByRole("button", { name: "Draw mode" });
  await page.locator('button[aria-pressed="true"]', { hasText: "Draw mode" }).waitFor();
  check((await drawMode.getAttribute("aria-pressed")) === "true", "d did not turn draw mode on");
  await drag(2.0, 5200, 2.5, 2800);
  await drag(4.0, 5200, 4.5, 2800);
  await page.waitForFunction(() => window.sonagram.annotations.boxes().length === 2);
  check((await page.locator(".box-label-editor").count()) === 0, "a label field opened in draw mode");
  check((await drawMode.getAttribute("aria-pressed")) === "true", "draw mode went off after a box");
  const [first, second] = await boxes();
  check(first.start_s < 2.1 && second.start_s > 3.9, `the boxes were drawn at ${JSON.stringify(await boxes())}`);
  check((await selectedId()) === second.id, "the box just drawn is not the selected one");
  check(await onBoxes(), "the boxes do not have the focus after drawing");
  await saved();
  await stepDone("drawn");

  // Zoomed onto the second box, the first is out of sight: Shift+Tab selects it and the
  // view moves to show it; Tab goes back to the second.
  const x = await viewer("timeToX", 4.25);
  await page.mouse.move(x, await viewer("hzToY", 1000));
  for (let i = 0; i < 20 && (await viewer("view")).pxPerS < 500; i++) {
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(30);
  }
  const zoomed = await viewer("view");
  check(zoomed.startS > 2.5, `zooming left the first box in sight: ${JSON.stringify(zoomed)}`);
  await page.keyboard.press("Shift+Tab");
  check((await selectedId()) === first.id, "Shift+Tab did not select the first box");
  await page.waitForFunction(() => {
    const v = window.sonagram.viewer.view;
    return v.startS <= 2.0 && v.startS + v.widthPx / v.pxPerS >= 2.5;
  });
  await viewer("drawn");
  await page.getByText(/^Box 1 of 2: unlabelled, 2\.\d\d to 2\.\d\d s$/).waitFor({ state: "attached" });
  await page.keyboard.press("Tab");
  check((await selectedId()) === second.id, "Tab did not select the second box");
  // Past the last box Tab moves on out of the boxes (no trap), and back in with Shift+Tab,
  // where the ring shows whose the keys are.
  await page.keyboard.press("Tab");
  check(!(await onBoxes()), "Tab past the last box kept the focus on the boxes");
  const ring = () =>
    page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return { visible: document.activeElement.matches(":focus-visible"), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
  const next = await ring();
  check(next.visible && next.outline !== "none" && next.width >= 1, `the focused control shows no ring: ${JSON.stringify(next)}`);
  await page.keyboard.press("Shift+Tab");
  check(await onBoxes(), "Shift+Tab did not come back to the boxes");
  const boxesRing = await ring();
  check(boxesRing.visible && boxesRing.outline === "solid" && boxesRing.width >= 2, `the boxes show no focus ring: ${JSON.stringify(boxesRing)}`);
  check((await selectedId()) === second.id, "coming back to the boxes changed the selection");
  await page.keyboard.press("Shift+Tab");
  check((await selectedId()) === first.id, "Shift+Tab did not select the first box again");
  await stepDone("tabbed");

  // 2: the project's label for key 2, saved.
  await page.keyboard.press("2");
  await page.waitForFunction((id) => window.sonagram.annotations.boxes().find((b) => b.id === id)?.label === "Wren", first.id);
  await saved();
  await page.getByRole("region", { name: "Boxes" }).getByText("Wren").waitFor();
  // A key the project gives no label changes nothing.
  await page.keyboard.press("7");
  check((await boxes()).find((b) => b.id === first.id).label === "Wren", "key 7 changed the label");
  await stepDone("labelled");

  // p: the box plays from its start and stops at its end.
  await page.keyboard.press("p");
  await page.waitForFunction(() => !window.sonagram.audio.paused());
  const playing = await audio();
  check(playing.t >= first.start_s - 0.05 && playing.t < first.end_s, `p played from ${playing.t} s`);
  await page.waitForFunction(() => window.sonagram.audio.paused(), null, { timeout: 10_000 });
  const stopped = await audio();
  check(stopped.t >= first.end_s - 0.05 && stopped.t < first.end_s + 0.25, `p stopped at ${stopped.t} s, the box ends at ${first.end_s} s`);

  // o: the box loops, back to its start each time, until o again.
  await page.keyboard.press("o");
  await page.waitForFunction(() => !window.sonagram.audio.paused());
  await page.waitForFunction((end) => window.sonagram.audio.currentTime() > end - 0.2, first.end_s, { timeout: 10_000 });
  await page.waitForFunction((start) => window.sonagram.audio.currentTime() < start + 0.2, first.start_s, { timeout: 10_000 });
  check(!(await audio()).paused, "the loop stopped at the box's end");
  await shot("looping");
  await page.keyboard.press("o");
  await page.waitForFunction(() => window.sonagram.audio.paused());

  // ?: the help lists every viewer row of the shortcut table, and the label keys.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts: viewer" });
  await help.waitFor();
  check(viewerRows.length >= 12, `read ${viewerRows.length} viewer rows from shortcuts.ts`);
  for (const does of viewerRows) await help.getByText(does, { exact: true }).waitFor();
  check(
    (await help.getByRole("row").count()) === viewerRows.length + 1,
    `the help has ${await help.getByRole("row").count()} rows for ${viewerRows.length} shortcuts`,
  );
  await help.getByRole("list", { name: "Label keys" }).getByText("Chiffchaff").waitFor();
  await stepDone("help");
  // The keys wait while the help is open: Delete deletes nothing; ? closes it.
  await page.keyboard.press("Delete");
  check((await boxes()).length === 2, "a key went through the open help to the boxes");
  await page.keyboard.press("?");
  await help.waitFor({ state: "detached" });

  // Escape leaves the box, then draw mode; Delete then has nothing to delete.
  await page.keyboard.press("Escape");
  check((await selectedId()) === null, "Escape kept the box selected");
  await page.keyboard.press("Escape");
  check((await drawMode.getAttribute("aria-pressed")) === "false", "Escape did not stop drawing");
  await stepDone("done");
} catch (failure) {
  await page.screenshot({ path: join(artifacts, "keys-failed.png"), fullPage: true });
  throw failure;
} finally {
  await browser.close();
}
if (problems.length) throw new Error(problems.join("\n"));
console.log("keys flow passed");
