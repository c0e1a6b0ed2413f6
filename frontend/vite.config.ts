import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const ours = (file: string) => decodeURIComponent(new URL(`./src/radix/${file}`, import.meta.url).pathname);

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Two of Radix's dependencies, changed (src/radix/): its scroll lock writes its CSS through
    // the CSSOM, which the CSP allows, not an inline <style> (docs/security.md); what an open
    // Select or Dialog hides is inert, not aria-hidden but focusable (docs/browser-app.md).
    alias: [
      { find: /^react-style-singleton$/, replacement: ours("styleSingleton.ts") },
      { find: /^aria-hidden$/, replacement: ours("ariaHidden.ts") },
    ],
  },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
