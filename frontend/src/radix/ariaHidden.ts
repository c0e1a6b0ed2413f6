/**
 * aria-hidden's exports with `hideOthers` making the rest of the page inert instead of
 * aria-hidden.
 *
 * While a Radix Select or Dialog is open, Radix hides the rest of the page from screen
 * readers with `hideOthers`. aria-hidden leaves its buttons and fields focusable (axe:
 * aria-hidden-focus, serious); `inert` takes them out of the accessibility tree and out of
 * the focus order alike, which is what the open list or dialog means. vite.config.ts points
 * `aria-hidden` here; the package itself is imported by its file, which the alias leaves alone.
 */
import { hideOthers as ariaHideOthers, inertOthers, supportsInert } from "aria-hidden/dist/es2015/index.js";

export { inertOthers, supportsInert, suppressOthers } from "aria-hidden/dist/es2015/index.js";

/** Everything but `targets` out of reach while they are open; the function returned undoes it. */
export const hideOthers: typeof ariaHideOthers = (targets, parentNode, markerName) =>
  supportsInert() ? inertOthers(targets, parentNode, markerName) : ariaHideOthers(targets, parentNode, markerName);
