// A deployment's detector output in real Chromium against the stack `make run` starts: sign
// in, make a project, upload dawn.wav and dusk.wav into it, choose a folder of BirdNET
// results (a table for each, one for a recording elsewhere, a combined CSV, BirdNET's
// parameters file) with "Import detector output", read the summary (boxes per recording,
// unmatched audio named, the refused file and why), see the box counts in the list and the
// boxes on dawn.wav.
// Run by tests/integration/test_browser.py: node e2e/detector-output.mjs UI_URL FIXTURES_DIR ARTIFACTS_DIR
// (FIXTURES_DIR: tests/fixtures/annotations). Screenshots of each step go to ARTIFACTS_DIR.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkAccessibility } from "./axe.mjs";
import { launch, openPage, signIn } from "./browser.mjs";
import { writeWhistles } from "./wav.mjs";

const [uiUrl, fixtures, artifacts] = process.argv.slice(2);
const audio = join(artifacts, "deployment");
const results = join(artifacts, "BirdNET results");
mkdirSync(audio, { recursive: true });
mkdirSync(results, { recursive: true });
for (const name of ["dawn.wav", "dusk.wav"]) writeWhistles(join(audio, name));
// BirdNET-Analyzer's tables name their audio in Begin Path; the combined CSV in File.
const table = readFileSync(join(fixtures, "birdnet_v2.4.BirdNET.selection.table.txt"), "utf8");
writeFileSync(join(results, "dawn.BirdNET.selection.table.txt"), table);
writeFileSync(join(results, "dusk.BirdNET.selection.table.txt"), table.replaceAll("/data/dawn.wav", "/data/dusk.wav"));
writeFileSync(
  join(results, "soundscape.BirdNET.selection.table.txt"),
  readFileSync(join(fixtures, "third_party", "BirdNET-Analyzer_SNAPSHOT.analyze__main.case1.expected.table.txt")),
);
writeFileSync(
  join(results, "BirdNET_CombinedTable.csv"),
  "Start (s),End (s),Scientific name,Common name,Confidence,File\n" +
    "6.0,9.0,Strix aluco,Tawny Owl,0.91,/sd/site 2/dusk.wav\n" +
    "0.0,3.0,Bubo bubo,Eurasian Eagle-Owl,0.60,/sd/site 3/midnight.wav\n",
);
writeFileSync(join(results, "BirdNET_analysis_params.csv"), "Parameter,Value\nMin confidence,0.25\n");

const browser = await launch();
const { page, problems } = await openPage(browser);
let step = 0;
const shot = (name) => page.screenshot({ path: join(artifacts, `detector-${String(step++).padStart(2, "0")}-${name}.png`) });
const check = (ok, message) => {
  if (!ok) throw new Error(message);
};

try {
  await signIn(page, uiUrl, `deployer-${Date.now()}`);
  await page.getByLabel("New project").fill("Deployment A");
  await page.getByRole("button", { name: "Create project" }).click();
  const detectorOutput = page.getByRole("region", { name: "Detector output" });
  await detectorOutput.waitFor();
  await page.getByLabel("Add recordings").setInputFiles([join(audio, "dawn.wav"), join(audio, "dusk.wav")]);
  const row = (name) => page.getByRole("row").filter({ hasText: name });
  for (const name of ["dawn.wav", "dusk.wav"]) {
    await row(name).getByText("Completed").waitFor({ timeout: 120_000 });
  }
  await shot("project-with-recordings");
  await checkAccessibility(page, "project with recordings");

  // The folder, through the picker "Import detector output" opens.
  const [chooser] = await Promise.all([
    page.waitForEvent("filechooser"),
    detectorOutput.getByRole("button", { name: "Import detector output" }).click(),
  ]);
  await chooser.setFiles(results);
  const summary = detectorOutput.getByRole("status");
  await summary.getByText("4 files imported: 5 boxes on 2 recordings. 1 refused.").waitFor({ timeout: 30_000 });
  await detectorOutput.getByText("No recording in this project for: soundscape.wav, midnight.wav").waitFor();
  const file = (name) => detectorOutput.getByRole("listitem").filter({ hasText: name });
  await file("dawn.BirdNET.selection.table.txt").getByText("dawn.wav: 2 boxes").waitFor();
  await file("BirdNET_CombinedTable.csv").getByText("dusk.wav: 1 box").waitFor();
  await file("BirdNET_analysis_params.csv").getByText("Refused").waitFor();
  await file("BirdNET_analysis_params.csv").getByText(/not an annotation file/).waitFor();
  await shot("summary");
  await checkAccessibility(page, "import summary");

  // The list counts the boxes; dawn.wav shows BirdNET's detections.
  await row("dawn.wav").getByRole("cell", { name: "2", exact: true }).waitFor();
  await row("dusk.wav").getByRole("cell", { name: "3", exact: true }).waitFor();
  await page.getByRole("link", { name: "dawn.wav" }).click();
  const boxes = page.getByRole("region", { name: "Boxes" });
  await boxes.getByText("Eurasian Wren").waitFor();
  await boxes.getByText("Common Chaffinch").waitFor();
  const labels = (await page.evaluate(() => window.sonagram.annotations.boxes())).map((box) => box.label).sort();
  check(
    JSON.stringify(labels) === JSON.stringify(["Common Chaffinch", "Eurasian Wren"]),
    `dawn.wav holds ${JSON.stringify(labels)}`,
  );
  await shot("boxes-on-dawn");
  await checkAccessibility(page, "boxes on a recording");
} catch (failure) {
  await page.screenshot({ path: join(artifacts, "detector-failed.png"), fullPage: true });
  throw failure;
} finally {
  await browser.close();
}
if (problems.length) throw new Error(problems.join("\n"));
console.log("detector output flow passed");
