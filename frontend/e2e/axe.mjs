// Accessibility in every flow: axe-core, run in the page as it stands, fails the flow on any
// serious or critical violation (docs/development.md). Minor and moderate ones are printed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const FAILING = new Set(["serious", "critical"]);

/** Run axe on the page; throw, naming `step`, each rule and its first elements, if any fails. */
export async function checkAccessibility(page, step) {
  // Evaluated, not a <script> tag: the app's Content-Security-Policy refuses inline scripts.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
  });
  const failing = violations.filter((v) => FAILING.has(v.impact));
  for (const v of violations.filter((v) => !FAILING.has(v.impact))) {
    console.error(`axe (${step}): ${v.impact} ${v.id}: ${v.help} at ${v.targets.join(", ")}`);
  }
  if (failing.length > 0) {
    const lines = failing.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(", ")}`);
    throw new Error(`accessibility (${step}): ${failing.length} serious or critical violation(s):\n${lines.join("\n")}`);
  }
}
