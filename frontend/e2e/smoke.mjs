// The smoke test in real Chromium: sign in, upload the sample MP3, see it Completed; a
// text file named .txt is refused before upload. Run by tests/integration/test_browser.py
// against a stack the harness started: node e2e/smoke.mjs UI_URL AUDIO_FILE ARTIFACTS_DIR
import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { chromium } from "playwright-core";

const [uiUrl, audioFile, artifacts] = process.argv.slice(2);
// FACTS.md: Debian's Chromium with these flags; Playwright gives it a fresh profile.
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 700 }, deviceScaleFactor: 1 });
const problems = [];
page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
try {
  await page.goto(uiUrl);
  await page.getByLabel("Username").waitFor();
  await page.screenshot({ path: join(artifacts, "0-sign-in.png") });
  await page.getByLabel("Username").fill("smoke");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Recordings" }).waitFor();
  await page.screenshot({ path: join(artifacts, "1-signed-in.png") });

  const notAudio = join(artifacts, "notes.txt");
  writeFileSync(notAudio, "not audio");
  await page.locator('input[type="file"]').setInputFiles([audioFile, notAudio]);
  await page.getByText("notes.txt is not a supported audio file").waitFor();

  const row = page.getByRole("row").filter({ hasText: basename(audioFile) });
  await row.getByText("Completed").waitFor({ timeout: 120_000 });
  await page.getByText("Uploaded").waitFor();
  await page.screenshot({ path: join(artifacts, "2-completed.png"), fullPage: true });
} catch (failure) {
  await page.screenshot({ path: join(artifacts, "failed.png"), fullPage: true });
  throw failure;
} finally {
  await browser.close();
}
if (problems.length) throw new Error(problems.join("\n"));
console.log("smoke passed");
