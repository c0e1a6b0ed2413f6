// Reviewing a project's proposals by keys in Chromium, timed on the page's own clock. Prints
// one JSON line. Each phase in a fresh page (nothing cached):
// 1. Navigation to the first page of clips drawn, then PageDown to the last page, each to
//    every clip of the next page drawn.
// 2. KEYS ("a" accept, "r" reject, one a box) pressed at a sustained RATE a second, each
//    from the key's event to the next clip focused and drawn; then the page is left until
//    its outbox is empty.
// The page's test hook: window.sonagram.review {pageSize, focused (annotation id),
// drawnClips, pending (outbox size), saved}; each clip role="img" with a name "Clip …",
// data-state, data-drawn="true" once drawn, aria-current="true" on the focused one.
// Run by bench/review_ui.py: node e2e/review-bench.mjs UI_URL PROJECT_ID USERNAME KEYS RATE
import { launch, openPage, signIn } from "./browser.mjs";

const [uiUrl, projectId, username, keys, rate] = process.argv.slice(2);
// Room for the largest page the grid fits: 24 clips.
const VIEWPORT = { width: 1920, height: 1080 };
const SAVED_WITHIN_MS = 120_000;

/** A signed-in page on the project's queue, its first page of clips drawn. */
async function openQueue(browser) {
  const { context, page, problems } = await openPage(browser, { viewport: VIEWPORT });
  await signIn(page, uiUrl, username);
  await page.goto(`${uiUrl}/?review=${encodeURIComponent(projectId)}&order=confidence_desc`);
  await page.getByRole("img", { name: /^Clip/ }).first().waitFor({ timeout: 60_000 });
  await page.evaluate(() => {
    const review = () => window.sonagram.review;
    const clips = () => [...document.querySelectorAll('[role="img"][data-state]')];
    const allDrawn = () => {
      const shown = clips();
      return shown.length > 0 && review().drawnClips === shown.length && shown.every((c) => c.dataset.drawn === "true");
    };
    const focusedDrawn = () => document.querySelector('[role="img"][aria-current="true"]')?.dataset.drawn === "true";
    // The page clock's time `test` first holds, checked at every change of the page and at
    // every animation frame (the hook is no DOM).
    const until = (test) =>
      new Promise((resolve) => {
        let done = false;
        const check = () => {
          if (done || !test()) return;
          done = true;
          observer.disconnect();
          resolve(performance.now());
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        const frame = () => {
          check();
          if (!done) requestAnimationFrame(frame);
        };
        frame();
      });
    // Every key the bench presses, from its event: what it acted on and when its result showed.
    const log = [];
    addEventListener(
      "keydown",
      (event) => {
        if (!["a", "r", "PageDown"].includes(event.key)) return;
        const focused = review().focused;
        const entry = { key: event.key, annotation_id: focused, pressed_ms: event.timeStamp, shown_ms: null };
        log.push(entry);
        const shown = event.key === "PageDown" ? allDrawn : focusedDrawn;
        void until(() => review().focused !== focused && shown()).then((at) => (entry.shown_ms = at - entry.pressed_ms));
      },
      { capture: true },
    );
    window.reviewBench = { log, firstPage: until(allDrawn) };
  });
  const firstPageMs = await page.evaluate(() => window.reviewBench.firstPage);
  const hook = () => page.evaluate(() => ({ ...window.sonagram.review }));
  return { context, page, problems, hook, firstPageMs };
}

/** Phase 1: the first page, then each next page to drawn. */
async function pages(browser) {
  const { context, page, problems, hook, firstPageMs } = await openQueue(browser);
  const { pageSize } = await hook();
  const pageCount = Math.ceil(keys.length / pageSize);
  for (let turn = 1; turn < pageCount; turn++) {
    await page.keyboard.press("PageDown");
    await page.waitForFunction((n) => window.reviewBench.log[n - 1].shown_ms !== null, turn, { timeout: 10_000 });
  }
  const log = await page.evaluate(() => window.reviewBench.log);
  if (problems.length) throw new Error(problems.join("\n"));
  await context.close();
  return { page_size: pageSize, first_page_ms: firstPageMs, pages_ms: log.map((entry) => entry.shown_ms) };
}

/** Phase 2: every key on time at RATE a second, whatever the page has shown by then. */
async function decisions(browser) {
  const { context, page, problems, hook } = await openQueue(browser);
  const periodMs = 1000 / Number(rate);
  const started = performance.now();
  for (const [i, key] of [...keys].entries()) {
    const wait = started + i * periodMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await page.keyboard.press(key);
  }
  await page.waitForFunction(() => window.sonagram.review.pending === 0, null, { timeout: SAVED_WITHIN_MS });
  // The last clip's key has no next clip to show: a moment for the others to finish.
  await page.waitForTimeout(1000);
  const log = await page.evaluate(() => window.reviewBench.log);
  const { saved } = await hook();
  if (problems.length) throw new Error(problems.join("\n"));
  await context.close();
  return { decisions: log, saved_in_page: saved };
}

const browser = await launch();
try {
  console.log(JSON.stringify({ ...(await pages(browser)), ...(await decisions(browser)) }));
} finally {
  await browser.close();
}
