/**
 * Binding the table's keys (shortcuts.ts) to what they do: one window listener a scope,
 * which reads the press as the table writes it and runs that shortcut's handler. Nothing
 * else binds a key, so the `?` help lists every key the page answers.
 */
import { useEffect, useRef } from "react";
import { focusedControlTakes, type KeyPress } from "../audio/keys";
import { type Match, type Scope, type ShortcutId, shortcutFor } from "./shortcuts";

/** What a shortcut does; `false` when it does nothing this time (the browser keeps the key). */
export type Handler<S extends Scope> = (match: Match<S>, event: KeyboardEvent) => boolean | void;
export type Handlers<S extends Scope> = Partial<Record<ShortcutId<S>, Handler<S>>>;

/**
 * The shortcut a press runs, or null: none in the scope, a held key (one press, one action),
 * Space or Enter on a control that takes them itself (a button, a link, a field), or any key
 * but `?` while a dialog is open over the page.
 */
export function shortcutPressed<S extends Scope>(press: KeyPress, scope: S, inDialog: boolean): Match<S> | null {
  if (press.repeat || focusedControlTakes(press)) return null;
  const match = shortcutFor(press, scope);
  if (match === null || (inDialog && match.id !== "help")) return null;
  return match;
}

function inDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="dialog"], [role="alertdialog"]') !== null;
}

/** While mounted, the scope's keys run `handlers` (the newest ones given). */
export function useShortcuts<S extends Scope>(scope: S, handlers: Handlers<S>): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const keydown = (event: KeyboardEvent) => {
      const match = shortcutPressed(event, scope, inDialog(event.target));
      const handler = match && latest.current[match.id];
      if (!match || !handler) return;
      if (handler(match, event) !== false) event.preventDefault();
    };
    window.addEventListener("keydown", keydown);
    return () => window.removeEventListener("keydown", keydown);
  }, [scope]);
}
