import { type Dispatch, type SetStateAction, useEffect, useEffectEvent, useRef } from "react";
import { toStart } from "./queue";

/**
 * Sends waiting items a few at a time (`toStart`), marking each "uploading" as it goes: what the
 * audio uploads and the detector output share. `send` runs with the current render's values.
 */
export function useSending<Item extends { key: number; state: string }>(
  items: Item[],
  setItems: Dispatch<SetStateAction<Item[]>>,
  send: (item: Item) => void,
): void {
  // An item is "waiting" here until the state update lands: `started` keeps a render in
  // between from sending it twice.
  const started = useRef(new Set<number>());
  const start = useEffectEvent(send);
  useEffect(() => {
    const starting = toStart(items).filter((i) => !started.current.has(i.key));
    if (starting.length === 0) return;
    const keys = new Set(starting.map((i) => i.key));
    for (const key of keys) started.current.add(key);
    setItems((all) => all.map((i) => (keys.has(i.key) ? { ...i, state: "uploading" } : i)));
    for (const item of starting) start(item);
  }, [items, setItems]);
}
