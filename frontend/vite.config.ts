import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Radix's scroll lock writes its CSS through the CSSOM, which the CSP allows, not an
    // inline <style> (src/csp/styleSingleton.ts, docs/security.md).
    alias: {
      "react-style-singleton": decodeURIComponent(new URL("./src/csp/styleSingleton.ts", import.meta.url).pathname),
    },
  },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
