/**
 * react-style-singleton's three exports, written through a constructed stylesheet
 * (`document.adoptedStyleSheets`) instead of an inline `<style>` element.
 *
 * Radix's scroll lock (react-remove-scroll, inside Select, Dialog and DropdownMenu) adds its
 * CSS through react-style-singleton; our Content-Security-Policy (`style-src 'self'`, no
 * 'unsafe-inline', no nonce: the site is static) refuses an inline `<style>`, but not CSS
 * written through the CSSOM. vite.config.ts points `react-style-singleton` here, so the lock
 * works as its authors meant and the policy stays strict.
 */
import { useEffect } from "react";

interface Sheet {
  add(css: string): void;
  remove(): void;
}

/** One stylesheet shared by its users: added with the first, taken away after the last. */
export function stylesheetSingleton(): Sheet {
  let users = 0;
  let sheet: CSSStyleSheet | null = null;
  return {
    add(css) {
      if (users === 0 && typeof document !== "undefined") {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      users++;
    },
    remove() {
      users--;
      if (users === 0 && sheet) {
        const gone = sheet;
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== gone);
        sheet = null;
      }
    },
  };
}

/** A hook holding the sheet while the component using it is mounted (the library's contract). */
export function styleHookSingleton(): (css: string, isDynamic?: boolean) => void {
  const sheet = stylesheetSingleton();
  return (css, isDynamic) => {
    // The library's own dependency: the CSS is read again only when it is marked dynamic.
    useEffect(() => {
      sheet.add(css);
      return () => sheet.remove();
      // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [css && isDynamic]);
  };
}

/** A component form of the hook: `<Sheet styles="…" dynamic />` renders nothing. */
export function styleSingleton(): (props: { styles: string; dynamic?: boolean }) => null {
  const useStyle = styleHookSingleton();
  return function Sheet({ styles, dynamic }) {
    useStyle(styles, dynamic);
    return null;
  };
}
