import { Flex, Select, Text, TextField } from "@radix-ui/themes";
import { useId, useState } from "react";
import type { ReviewFilters } from "../page/link";
import type { QueuePage } from "../api/types";
import type { ReviewNames } from "./names";

/** A Select's "no filter" value (Radix keeps "" for "nothing chosen"). */
const ANY = "any";

/** The server's names in the user's words; a name the page does not know yet shows as it is. */
const ORDER_WORDS: Record<string, string> = {
  confidence_desc: "Confidence, highest first",
  confidence_asc: "Confidence, lowest first",
  time: "Time",
  sample: "Stratified sample",
};
const STATE_WORDS: Record<string, string> = {
  unreviewed: "Unreviewed",
  accepted: "Accepted",
  rejected: "Rejected",
  reviewed: "Reviewed",
  all: "All",
};
const SOURCE_WORDS: Record<string, string> = { people: "People", detector: "Any detector" };

export type Choices = Pick<QueuePage, "labels" | "sources">;

/** The queue's filters: Label, Source, Review state, Minimum confidence, Order (and the sample's Seed). */
export function FilterBar({
  names,
  filters,
  choices,
  onChange,
}: {
  names: ReviewNames;
  filters: ReviewFilters;
  /** The scope's labels and sources, from the last queue page read. */
  choices: Choices;
  onChange: (filters: ReviewFilters) => void;
}) {
  const id = useId();
  const set = (change: Partial<ReviewFilters>) => onChange({ ...filters, ...change });
  const exactSources = choices.sources.flatMap((s) => (s.source === null || names.sourceKinds.includes(s.source) ? [] : [s.source]));
  const labels = choices.labels.map((l) => l.label);
  // A filter from the link keeps its option while the queue's choices are being read.
  if (filters.label && !labels.includes(filters.label)) labels.push(filters.label);
  if (filters.source && !names.sourceKinds.includes(filters.source) && !exactSources.includes(filters.source)) {
    exactSources.push(filters.source);
  }
  return (
    <Flex className="review-filters" gap="3" wrap="wrap" align="end">
      <Field id={`${id}-label`} name="Label">
        <Select.Root size="1" value={filters.label ?? ANY} onValueChange={(v) => set({ label: v === ANY ? undefined : v })}>
          <Select.Trigger id={`${id}-label`} />
          <Select.Content onCloseAutoFocus={keepKeysForClips}>
            <Select.Item value={ANY}>Any label</Select.Item>
            {labels.map((label) => (
              <Select.Item key={label} value={label}>
                {label || "(unlabelled)"}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
      </Field>
      <Field id={`${id}-source`} name="Source">
        <Select.Root size="1" value={filters.source ?? ANY} onValueChange={(v) => set({ source: v === ANY ? undefined : v })}>
          <Select.Trigger id={`${id}-source`} />
          <Select.Content onCloseAutoFocus={keepKeysForClips}>
            <Select.Item value={ANY}>Any source</Select.Item>
            {[...names.sourceKinds, ...exactSources].map((source) => (
              <Select.Item key={source} value={source}>
                {SOURCE_WORDS[source] ?? source}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
      </Field>
      <Field id={`${id}-state`} name="Review state">
        <Select.Root size="1" value={filters.state ?? "all"} onValueChange={(v) => set({ state: v === "all" ? undefined : v })}>
          <Select.Trigger id={`${id}-state`} />
          <Select.Content onCloseAutoFocus={keepKeysForClips}>
            {names.states.map((state) => (
              <Select.Item key={state} value={state}>
                {STATE_WORDS[state] ?? state}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
      </Field>
      <Field id={`${id}-min`} name="Minimum confidence">
        <NumberField
          id={`${id}-min`}
          value={filters.minConfidence}
          step="0.05"
          valid={(n) => n >= 0 && n <= 1}
          onChange={(minConfidence) => set({ minConfidence })}
        />
      </Field>
      <Field id={`${id}-order`} name="Order">
        <Select.Root
          size="1"
          value={filters.order ?? names.orders[0]}
          onValueChange={(v) => set({ order: v === names.orders[0] ? undefined : v })}
        >
          <Select.Trigger id={`${id}-order`} />
          <Select.Content onCloseAutoFocus={keepKeysForClips}>
            {names.orders.map((order) => (
              <Select.Item key={order} value={order}>
                {ORDER_WORDS[order] ?? order}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
      </Field>
      {filters.order === "sample" && (
        <Field id={`${id}-seed`} name="Seed">
          <NumberField
            id={`${id}-seed`}
            value={filters.seed ?? names.defaults.seed}
            step="1"
            valid={Number.isInteger}
            onChange={(seed) => set({ seed })}
          />
        </Field>
      )}
    </Flex>
  );
}

/**
 * A chosen filter leaves focus on the page rather than on its select, so the review's keys
 * (a, r, …) go to the clips at once instead of the select's own type-ahead.
 */
function keepKeysForClips(event: Event) {
  event.preventDefault();
  (document.activeElement as HTMLElement | null)?.blur();
}

function Field({ id, name, children }: { id: string; name: string; children: React.ReactNode }) {
  return (
    <Flex direction="column" gap="1">
      <Text as="label" size="1" weight="medium" htmlFor={id}>
        {name}
      </Text>
      {children}
    </Flex>
  );
}

/** A number that counts once it is one (and `valid`): half-typed text stays in the field. */
function NumberField({
  id,
  value,
  step,
  valid,
  onChange,
}: {
  id: string;
  value: number | undefined;
  step: string;
  valid: (n: number) => boolean;
  onChange: (n: number | undefined) => void;
}) {
  const [text, setText] = useState(value === undefined ? "" : String(value));
  return (
    <TextField.Root
      id={id}
      size="1"
      type="number"
      inputMode="decimal"
      step={step}
      value={text}
      style={{ width: "7rem" }}
      onChange={(event) => {
        const typed = event.target.value;
        setText(typed);
        const n = Number(typed);
        if (typed.trim() === "") onChange(undefined);
        else if (Number.isFinite(n) && valid(n)) onChange(n);
      }}
    />
  );
}
