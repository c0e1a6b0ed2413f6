// Issue 19's blind double annotation to its consensus, in real Chromium against the stack
// `make run` starts. Written before the lab's server routes were merged (members,
// assignments, blind layers, agreement): it runs once they are (round 2).
// Run: node e2e/consensus-flow.mjs UI_URL ARTIFACTS_DIR (to be added to tests/integration/test_browser.py).
// The owner signs in, makes a project, uploads a recording into it and adds an annotator (a
// second browser context); the owner assigns the recording to both, blind. Each draws their
// own boxes (through the API, in their own session: each sees only their own layer) and sets
// done. The owner's recording page then shows the Agreement region: the figures, both sets
// drawn, the consensus table; Keep all matched as B, drop A's lone box, relabel one, Merge;
// the final set holds the chosen boxes, signed by their authors. axe at each step;
// screenshots go to ARTIFACTS_DIR.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { checkAccessibility } from "./axe.mjs";
import { launch, openPage, signIn } from "./browser.mjs";
import { writeWhistles } from "./wav.mjs";

const [uiUrl, artifacts] = process.argv.slice(2);
mkdirSync(artifacts, { recursive: true });
writeWhistles(join(artifacts, "song.wav"));
const stamp = Date.now();
const ownerName = `lead-${stamp}`;
const annotatorName = `student-${stamp}`;

// The whistles: 0.5 s every 2 s, rising 3 → 5 kHz. The owner boxes the first three, the
// annotator the first two (the second labelled otherwise) and the fourth: two matched pairs
// (IoU 0.92 and 0.96), one box each alone.
const box = (id, label, start, end) => ({
  id,
  start_s: start,
  end_s: end,
  low_hz: 3000,
  high_hz: 5000,
  label,
  confidence: null,
  notes: null,
  measurements: {},
  attributes: {},
  channel: 1,
  source: null,
  review: null,
});
const OWNER_BOXES = [box("o1", "Wren", 0, 0.5), box("o2", "Wren", 2, 2.5), box("o3", "Wren", 4, 4.5)];
const ANNOTATOR_BOXES = [box("s1", "Wren", 0.02, 0.52), box("s2", "Robin", 2.01, 2.49), box("s3", "Robin", 6, 6.5)];

/** The API as the page's signed-in user calls it (their token, the stage's API URL). */
const apiOf = (page) => (method, path, body) =>
  page.evaluate(
    async ({ method, path, body }) => {
      const { apiUrl } = await (await fetch("/config.json")).json();
      const answer = await fetch(apiUrl + path, {
        method,
        headers: { Authorization: `Bearer ${sessionStorage.getItem("sonagram.token")}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.text();
      if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${text}`);
      return text ? JSON.parse(text) : null;
    },
    { method, path, body },
  );

const browser = await launch();
const owner = await openPage(browser);
const annotator = await openPage(browser);
const page = owner.page;
let step = 0;
const shot = (name) => page.screenshot({ path: join(artifacts, `consensus-${String(step++).padStart(2, "0")}-${name}.png`), fullPage: true });
const check = (ok, message) => {
  if (!ok) throw new Error(message);
};

try {
  await signIn(page, uiUrl, ownerName);
  await signIn(annotator.page, uiUrl, annotatorName);
  const asOwner = apiOf(page);
  const asAnnotator = apiOf(annotator.page);

  await page.getByLabel("New project").fill(`Lab ${stamp}`);
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("region", { name: "Detector output" }).waitFor();
  await page.getByLabel("Add recordings").setInputFiles(join(artifacts, "song.wav"));
  await page.getByRole("row").filter({ hasText: "song.wav" }).getByText("Completed").waitFor({ timeout: 120_000 });
  const project = (await asOwner("GET", "/projects")).projects.find((p) => p.name === `Lab ${stamp}`);
  const recording = (await asOwner("GET", `/recordings?project=${project.id}`)).recordings[0];
  await asOwner("POST", `/projects/${project.id}/members`, { username: annotatorName, role: "annotator" });
  await asOwner("POST", `/projects/${project.id}/assignments`, {
    recording_ids: [recording.id],
    assignees: [ownerName, annotatorName],
    blind: true,
  });

  // Each draws in their own layer: the annotations answer says so.
  for (const [api, boxes] of [
    [asOwner, OWNER_BOXES],
    [asAnnotator, ANNOTATOR_BOXES],
  ]) {
    const mine = await api("GET", `/recordings/${recording.id}/annotations`);
    check(mine.blind === true && mine.annotations.length === 0, `a blind annotator starts from an empty layer: ${JSON.stringify(mine)}`);
    await api("PUT", `/recordings/${recording.id}/annotations`, { annotations: boxes, version: mine.version });
  }

  // One done: the page says whom it waits for.
  await asOwner("PATCH", `/recordings/${recording.id}/assignments/${ownerName}`, { state: "done" });
  await page.goto(`${uiUrl}/?recording=${encodeURIComponent(recording.id)}`);
  await page.getByText(/Agreement once both annotators are done \(.*(in progress|to do).*\)/).waitFor();
  await shot("waiting");
  // Meanwhile the owner sees their own layer, nobody else's, and the page says so.
  await page.waitForFunction(() => window.sonagram.annotations.boxes().length === 3);
  await page.getByText(/Blind: you see only your own boxes/).waitFor();
  await asAnnotator("PATCH", `/recordings/${recording.id}/assignments/${annotatorName}`, { state: "done" });
  await page.getByRole("button", { name: "Check again" }).click();

  const region = page.getByRole("region", { name: /^Agreement between/ });
  await region.waitFor();
  // The owner's own layer gives way to the final set, empty until the merge; blind no more.
  await page.waitForFunction(() => window.sonagram.annotations.boxes().length === 0);
  await page.getByText(/Blind: you see only your own boxes/).waitFor({ state: "hidden" });
  const heading = await region.getByRole("heading", { level: 2 }).textContent();
  // Which one is A is the server's: its first annotator.
  const [a, b] = /Agreement between (\S+) \(A\) and (\S+) \(B\)/.exec(heading).slice(1);
  check([a, b].sort().join() === [ownerName, annotatorName].sort().join(), `the heading names ${heading}`);
  await region.getByText(`Matched 2 of 3 boxes by ${a} (67 %)`).waitFor();
  await region.getByText(`Matched 2 of 3 boxes by ${b} (67 %)`).waitFor();
  await region.getByText("Same label on 1 of 2 matched pairs (50 %)").waitFor();
  await region.getByText(/^Cohen's κ /).waitFor();
  await region.getByText(/^Onsets differ by \d+ ms \(median\)/).waitFor();
  check((await page.locator("canvas.both-sets").count()) === 1, "both sets are drawn over the spectrogram");
  await shot("agreement");
  await checkAccessibility(page, "agreement");

  // Keep B's matched boxes, drop A's lone box (pair 3: pairs list the matched first, then
  // A's lone boxes, then B's), relabel the first pair, merge.
  await region.getByRole("button", { name: `Keep all matched as B (${b})` }).click();
  await region.getByRole("radiogroup", { name: "Keep, pair 3" }).getByRole("radio", { name: "None" }).click();
  await region.getByLabel("Relabel pair 1").fill("Eurasian Wren");
  await region.getByText("3 boxes go into the final set.").waitFor();
  await region.getByRole("button", { name: "Show pair 4 on the spectrogram" }).click();
  await shot("chosen");
  await region.getByRole("button", { name: "Merge" }).click();
  await region.getByText("Merged 3 boxes into the final set; it now holds 3 boxes.").waitFor({ timeout: 30_000 });
  const bBoxes = b === annotatorName ? ANNOTATOR_BOXES : OWNER_BOXES;
  const expected = bBoxes.map((x, i) => `${i === 0 ? "Eurasian Wren" : x.label} by ${b}`).sort();
  // Runs in the page: the boxes it shows, as "label by author". Polled from here: a
  // waitForFunction given a string would need eval, which the app's CSP forbids.
  const finalSet = () => JSON.stringify(window.sonagram.annotations.boxes().map((x) => `${x.label} by ${x.created_by}`).sort());
  const want = JSON.stringify(expected);
  let held = await page.evaluate(finalSet);
  for (const until = Date.now() + 10_000; held !== want && Date.now() < until; held = await page.evaluate(finalSet)) {
    await page.waitForTimeout(100);
  }
  check(held === want, `the final set holds ${held}, not ${want}`);
  const merged = await page.evaluate(() => window.sonagram.annotations.boxes());
  const relabelled = merged.find((x) => x.label === "Eurasian Wren");
  check(relabelled.updated_by === ownerName, `a relabelled box is signed by who merged it: ${JSON.stringify(relabelled)}`);
  await shot("merged");
  await checkAccessibility(page, "merged");
} catch (failure) {
  await page.screenshot({ path: join(artifacts, "consensus-failed.png"), fullPage: true });
  throw failure;
} finally {
  await browser.close();
}
const problems = [...owner.problems, ...annotator.problems];
if (problems.length) throw new Error(problems.join("\n"));
console.log("consensus flow passed");
