// The viewer's speed in Chromium on a rendered recording: navigation to the first view
// fully drawn, then ROUNDS of zooms and pans, each timed on the page's own clock from just
// before the input to every visible tile of the needed level drawn. Prints one JSON line.
// Run by bench/viewer.py: node e2e/viewer-bench.mjs UI_URL RECORDING_ID USERNAME ROUNDS
import { launch, openPage, signIn } from "./browser.mjs";

const [uiUrl, recordingId, username, rounds] = process.argv.slice(2);
const browser = await launch();
const { page, problems } = await openPage(browser);
const viewer = (name, ...args) => page.evaluate(([n, a]) => {
  const hook = window.sonagram.viewer;
  return typeof hook[n] === "function" ? hook[n](...a) : hook[n];
}, [name, args]);

// A seeded walk, so every run makes the same moves.
let seed = 7;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

try {
  await signIn(page, uiUrl, username);
  await page.goto(`${uiUrl}/?recording=${encodeURIComponent(recordingId)}`);
  await page.getByRole("img", { name: /^Spectrogram/ }).waitFor({ timeout: 60_000 });
  const firstViewMs = await viewer("drawn");
  const plot = await page.getByRole("img", { name: /^Spectrogram/ }).boundingBox();
  const scrollbar = await page.getByLabel("Time position").boundingBox();

  // Each round: zoom in at random places down to calls (>= 200 px/s), pan there with
  // Shift+wheel, jump along the scrollbar to parts never seen, zoom back out.
  const timed = [];
  const change = async (kind) => {
    const before = JSON.stringify(await viewer("view"));
    await page.mouse.move(plot.x + plot.width * (0.1 + 0.8 * random()), plot.y + plot.height / 2);
    const started = await page.evaluate(() => performance.now());
    if (kind === "zoom in" || kind === "zoom out") {
      // A quick flick: three notches of a mouse wheel (100 px each).
      for (let notch = 0; notch < 3; notch++) await page.mouse.wheel(0, kind === "zoom in" ? -100 : 100);
    } else if (kind === "pan") {
      await page.keyboard.down("Shift");
      await page.mouse.wheel(0, random() < 0.5 ? -300 : 300);
      await page.keyboard.up("Shift");
    } else {
      await page.mouse.click(scrollbar.x + scrollbar.width * random(), scrollbar.y + scrollbar.height / 2);
    }
    try {
      await page.waitForFunction((b) => JSON.stringify(window.sonagram.viewer.view) !== b, before, { timeout: 5000 });
    } catch {
      return; // a pan past either end changes nothing: nothing to time
    }
    const done = await viewer("drawn");
    timed.push({ kind, ms: done - started, pxPerS: (await viewer("view")).pxPerS });
  };
  for (let round = 0; round < Number(rounds); round++) {
    while ((await viewer("view")).pxPerS < 200) await change("zoom in");
    for (let i = 0; i < 8; i++) await change("pan");
    for (let i = 0; i < 4; i++) await change("jump");
    for (let i = 0; i < 4; i++) await change("zoom out");
  }
  if (problems.length) throw new Error(problems.join("\n"));
  console.log(JSON.stringify({ first_view_ms: firstViewMs, changes: timed }));
} finally {
  await browser.close();
}
