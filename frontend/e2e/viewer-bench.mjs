// The viewer's speed in Chromium on a rendered recording holding BOXES boxes (0: none), on
// the page's own clock. Prints one JSON line.
// 1. Navigation to the first view fully drawn, then ROUNDS of zooms and pans, each from just
//    before the input until every visible tile of the needed level and the boxes are drawn.
// 2. The intervals between animation frames while continuous gestures run.
// Run by bench/viewer.py: node e2e/viewer-bench.mjs UI_URL RECORDING_ID USERNAME ROUNDS BOXES
import { launch, openPage, signIn } from "./browser.mjs";

const [uiUrl, recordingId, username, rounds, boxes] = process.argv.slice(2);

/** A signed-in page on the recording, its boxes loaded; `hook` reads window.sonagram.viewer. */
async function opened(browser) {
  const { page, problems } = await openPage(browser);
  await signIn(page, uiUrl, username);
  await page.goto(`${uiUrl}/?recording=${encodeURIComponent(recordingId)}`);
  const plot = page.getByRole("img", { name: /^Spectrogram/ });
  await plot.waitFor({ timeout: 60_000 });
  await page.waitForFunction((n) => window.sonagram.annotations?.boxes().length === n, Number(boxes), {
    timeout: 60_000,
  });
  const hook = (name, ...args) =>
    page.evaluate(
      ([n, a]) => {
        const viewer = window.sonagram.viewer;
        return typeof viewer[n] === "function" ? viewer[n](...a) : viewer[n];
      },
      [name, args],
    );
  // When the view of now was fully drawn: its tiles (the viewer's clock) and its boxes.
  const drawn = async () => {
    const tilesAt = await hook("drawn");
    const boxes = await page.waitForFunction(
      () => {
        const layer = window.sonagram.boxLayer?.drawn();
        return JSON.stringify(layer?.view) === JSON.stringify(window.sonagram.viewer.view) && layer.at;
      },
      null,
      { timeout: 5000, polling: "raf" },
    );
    return Math.max(tilesAt, await boxes.jsonValue());
  };
  return { page, problems, hook, drawn, plot: await plot.boundingBox() };
}

// A seeded walk, so every run makes the same moves.
let seed = 7;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

/** Phase 1: navigation to the first view drawn, then each zoom or pan to drawn. */
async function viewChanges({ page, hook, drawn, plot }) {
  const firstViewMs = await drawn();
  const scrollbar = await page.getByLabel("Time position").boundingBox();

  // Each round: zoom in at random places down to calls (>= 200 px/s), pan there with
  // Shift+wheel, jump along the scrollbar to parts never seen, zoom back out.
  const timed = [];
  const change = async (kind) => {
    const before = JSON.stringify(await hook("view"));
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
    const done = await drawn();
    timed.push({ kind, ms: done - started, pxPerS: (await hook("view")).pxPerS });
  };
  for (let round = 0; round < Number(rounds); round++) {
    while ((await hook("view")).pxPerS < 200) await change("zoom in");
    for (let i = 0; i < 8; i++) await change("pan");
    for (let i = 0; i < 4; i++) await change("jump");
    for (let i = 0; i < 4; i++) await change("zoom out");
  }
  return { first_view_ms: firstViewMs, changes: timed };
}

/**
 * Phase 2: the interval between animation frames, on the page's clock, while continuous
 * gestures run (wheel zoom, Shift+drag pan, Shift+wheel pan) with the mouse events sent as
 * fast as the page takes them: 16.7 ms at 60 Hz while the page keeps up, 33 ms or more
 * where it dropped a frame. (The work of one frame cannot be read apart: an idle callback
 * or a message posted in the frame waits behind other tasks and the next frames.)
 */
async function frameTimes({ page, drawn, plot }) {
  await page.getByRole("button", { name: "Whole recording" }).click();
  await drawn();
  await page.evaluate(() => {
    const recorder = { gesture: null, frames: [] };
    let last = performance.now();
    const tick = (start) => {
      if (recorder.gesture) recorder.frames.push({ gesture: recorder.gesture, ms: start - last });
      last = start;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.frameRecorder = recorder;
  });
  const gesture = async (name, act) => {
    await page.evaluate((g) => (window.frameRecorder.gesture = g), name);
    await act();
    await page.evaluate(() => (window.frameRecorder.gesture = null));
  };
  const middle = { x: plot.x + plot.width / 2, y: plot.y + plot.height / 2 };
  await page.mouse.move(middle.x, middle.y);
  // From the whole recording 32× closer in 30 small turns, and back out.
  await gesture("wheel zoom", async () => {
    for (let turn = 0; turn < 30; turn++) await page.mouse.wheel(0, -50);
    for (let turn = 0; turn < 30; turn++) await page.mouse.wheel(0, 50);
  });
  // Pans need room: a quarter of the recording in view, every box of it drawn.
  for (let notch = 0; notch < 6; notch++) await page.mouse.wheel(0, -100);
  await drawn();
  await page.keyboard.down("Shift");
  await gesture("Shift+drag pan", async () => {
    await page.mouse.down();
    await page.mouse.move(middle.x - plot.width / 3, middle.y, { steps: 60 });
    await page.mouse.move(middle.x + plot.width / 3, middle.y, { steps: 120 });
    await page.mouse.up();
  });
  await gesture("Shift+wheel pan", async () => {
    for (let turn = 0; turn < 40; turn++) await page.mouse.wheel(0, turn < 20 ? 100 : -100);
  });
  await page.keyboard.up("Shift");
  return page.evaluate(() => window.frameRecorder.frames);
}

const browser = await launch();
try {
  const opening = await opened(browser);
  const changes = await viewChanges(opening);
  const frames = await frameTimes(opening);
  if (opening.problems.length) throw new Error(opening.problems.join("\n"));
  console.log(JSON.stringify({ ...changes, frames }));
} finally {
  await browser.close();
}
