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
    <details className="column-picker">
      <summary>Columns{chosen.length > 0 && ` (${chosen.length})`}</summary>
      <fieldset>
        <legend className="visually-hidden">Measurement columns</legend>
        {available.map((m) => (
          <label key={m.key} title={`${m.key}: ${m.definition}`}>
            <input type="checkbox" checked={chosen.includes(m.key)} onChange={(e) => toggle(m.key, e.target.checked)} />
            {m.short}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
