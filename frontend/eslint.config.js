// ESLint: JavaScript's and typescript-eslint's recommended rules, and React's rules of hooks
// (stale closures and effects that tsc cannot see). `make test` runs it with --max-warnings 0.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Built files, and the types `make types` generates from the API's document.
  { ignores: ["dist", "src/api/openapi.ts"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  // `const { [id]: _, ...others } = all` is how the app leaves one key out of an object.
  { rules: { "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }] } },
  {
    files: ["src/**/*.{ts,tsx}"],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
  },
  // The config files run in Node; so do the Playwright flows, but for the functions they hand
  // to page.evaluate, which run in the page.
  { files: ["*.{js,ts}"], languageOptions: { globals: globals.node } },
  { files: ["e2e/**/*.mjs"], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
);
