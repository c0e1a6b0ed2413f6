// What every browser script shares: Debian's Chromium launched with the flags docs/development.md explains, a page
// at device scale 1 whose errors are collected, and signing in through the form.
import { chromium } from "playwright-core";

export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // No sound card here: play() must still run and the clock advance (docs/development.md, Browser tests in Chromium).
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

/**
 * A fresh page; `problems` collects uncaught page errors and every refusal of the UI server's
 * Content-Security-Policy (a flow fails on any: Chromium logs each refusal; the event also
 * names what was refused).
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
    ...options,
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Content Security Policy: ${e.effectiveDirective} refused ${e.blockedURI}`)),
  );
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) problems.push(message.text());
  });
  return { context, page, problems };
}

export async function signIn(page, uiUrl, username) {
  await page.goto(uiUrl);
  await page.getByLabel("Username").fill(username);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Recordings" }).waitFor();
}
