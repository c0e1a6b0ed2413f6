import { Button, Checkbox, Popover } from "@radix-ui/themes";
import { Columns3 } from "lucide-react";
import type { MeasurementName } from "../config";

/**
 * "Columns": the measurements the box list shows, each by its short name with its
 * definition as a tooltip, as /config.json lists them.
 */
export function ColumnPicker({
  available,
  chosen,
  onChange,
}: {
  available: readonly MeasurementName[];
  chosen: readonly string[];
  onChange: (keys: string[]) => void;
}) {
  function toggle(key: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    onChange(available.map((m) => m.key).filter((k) => next.has(k)));
  }

  return (
    <Popover.Root>
      <Popover.Trigger>
        <Button size="1" variant="soft" color="gray">
          <Columns3 size={14} aria-hidden="true" />
          Columns{chosen.length > 0 && ` (${chosen.length})`}
        </Button>
      </Popover.Trigger>
      <Popover.Content size="1" aria-label="Measurement columns">
        <fieldset className="column-picker">
          <legend className="visually-hidden">Measurement columns</legend>
          {available.map((m) => (
            <label key={m.key} title={`${m.key}: ${m.definition}`}>
              <Checkbox size="1" checked={chosen.includes(m.key)} onCheckedChange={(on) => toggle(m.key, on === true)} />
              {m.short}
            </label>
          ))}
        </fieldset>
      </Popover.Content>
    </Popover.Root>
  );
}
