import { Badge, Button, Card, Checkbox, Flex, Heading, IconButton, RadioGroup, Table, Text, TextField } from "@radix-ui/themes";
import { Crosshair, GitMerge } from "lucide-react";
import { memo, useId } from "react";
import type { Annotation } from "../api/types";
import { A_DASH, B_DASH } from "./bothSets";
import { type Choice, keepsOf, keptCount } from "./choices";
import "./consensus.css";
import { figureSentences } from "./figures";
import type { Agreement, AgreementPair, Assignment, Keep } from "../api/types";
import type { RecordingAgreement } from "./useRecordingAgreement";

const STATES: Record<Assignment["state"], string> = { to_do: "to do", in_progress: "in progress", done: "done" };

/**
 * The recording's agreement between its two blind annotators, once both are done: the
 * figures as sentences, both sets on the spectrogram, and the consensus table whose **Merge**
 * writes the chosen boxes into the final set. Before that, one quiet line; for a recording
 * nobody annotates blind, nothing.
 */
export function AgreementRegion({ agreement, onShow }: { agreement: RecordingAgreement; onShow: (pair: AgreementPair) => void }) {
  const id = useId();
  const { view } = agreement;
  if (view.kind === "none" || view.kind === "loading") return null;
  if (view.kind === "waiting") {
    const who = view.blind.map((a) => `${a.assignee}: ${STATES[a.state]}`).join(", ");
    return (
      <Flex gap="2" align="center" className="agreement">
        <Text size="2" color="gray">
          Agreement once both annotators are done ({who}).
        </Text>
        <Button size="1" variant="ghost" onClick={() => void agreement.load()}>
          Check again
        </Button>
      </Flex>
    );
  }
  if (view.kind === "failed") {
    return (
      <Text as="p" size="2" color="red" role="alert" className="agreement">
        Agreement could not be read: {view.error}
      </Text>
    );
  }
  const [a, b] = view.agreement.annotators;
  return (
    <Card asChild className="agreement">
      <section aria-labelledby={`${id}-heading`}>
        <Flex direction="column" gap="3">
          <Heading as="h2" size="3" id={`${id}-heading`}>
            Agreement between {a} (A) and {b} (B)
          </Heading>
          <ul>
            {figureSentences(view.agreement.figures, [a, b]).map((sentence) => (
              <li key={sentence}>
                <Text size="2">{sentence}</Text>
              </li>
            ))}
          </ul>
          <Flex gap="4" align="center" wrap="wrap">
            <Text size="2">
              <LineSample dash={A_DASH} />A: {a}, solid
            </Text>
            <Text size="2">
              <LineSample dash={B_DASH} />B: {b}, dash-dot
            </Text>
            <Text as="label" size="2">
              <Flex gap="2" align="center">
                <Checkbox size="1" checked={agreement.showBoth} onCheckedChange={(checked) => agreement.setShowBoth(checked === true)} />
                Show both annotators' boxes
              </Flex>
            </Text>
          </Flex>
          <Consensus agreement={agreement} ready={view.agreement} choices={view.choices} onShow={onShow} />
        </Flex>
      </section>
    </Card>
  );
}

/** A short line in the set's dash, as the spectrogram draws it. */
function LineSample({ dash }: { dash: readonly number[] }) {
  return (
    <svg className="line-sample" width="28" height="6" aria-hidden="true">
      <line x1="0" y1="3" x2="28" y2="3" stroke="currentColor" strokeWidth="2" strokeDasharray={dash.join(" ") || undefined} />
    </svg>
  );
}

const KEEP_NAMES: Record<Keep, string> = { a: "A", b: "B", both: "Both", none: "None" };

/** The consensus table: per pair what to keep and a new label; the bulk choices; Merge. */
function Consensus({
  agreement,
  ready,
  choices,
  onShow,
}: {
  agreement: RecordingAgreement;
  ready: Agreement;
  choices: readonly Choice[];
  onShow: (pair: AgreementPair) => void;
}) {
  const id = useId();
  const [a, b] = ready.annotators;
  const labels = [...new Set(agreement.boxes.map((box) => box.label).filter(Boolean))].sort();
  const kept = keptCount(choices);
  return (
    <Flex direction="column" gap="2">
      <Heading as="h3" size="2">
        Consensus
      </Heading>
      <Text size="2">
        For each pair of boxes the two drew (matched: IoU ≥ 0.5) and each box only one drew, choose what goes into the final
        set, and relabel it if need be; Merge writes it.
      </Text>
      <Flex gap="2" wrap="wrap">
        <Button size="1" variant="soft" onClick={() => agreement.keepAllMatchedAs("a")}>
          Keep all matched as A ({a})
        </Button>
        <Button size="1" variant="soft" onClick={() => agreement.keepAllMatchedAs("b")}>
          Keep all matched as B ({b})
        </Button>
      </Flex>
      {ready.pairs.length === 0 ? (
        <Text size="2">Neither drew a box.</Text>
      ) : (
        <div className="consensus-table">
          <Table.Root size="1" variant="ghost">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>Pair</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>A: {a}</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>B: {b}</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>IoU</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Keep</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Relabel</Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {ready.pairs.map((pair, i) => (
                <PairRow
                  key={`${pair.a?.id ?? ""}|${pair.b?.id ?? ""}`}
                  pair={pair}
                  index={i}
                  choice={choices[i]}
                  current={agreement.current === i}
                  labelsId={`${id}-labels`}
                  choose={agreement.choose}
                  relabel={agreement.relabel}
                  setCurrent={agreement.setCurrent}
                  onShow={onShow}
                />
              ))}
            </Table.Body>
          </Table.Root>
          <datalist id={`${id}-labels`}>
            {labels.map((label) => (
              <option key={label} value={label} />
            ))}
          </datalist>
        </div>
      )}
      <Flex gap="3" align="center" wrap="wrap">
        <Button size="2" disabled={agreement.merging} onClick={() => void agreement.merge()}>
          <GitMerge size={16} aria-hidden="true" />
          Merge
        </Button>
        <Text size="2">
          {agreement.merging ? "Merging…" : `${kept === 1 ? "1 box goes" : `${kept} boxes go`} into the final set.`}
        </Text>
      </Flex>
      <Text role={agreement.note?.error ? "alert" : "status"} size="2" color={agreement.note?.error ? "red" : undefined}>
        {agreement.note?.text}
      </Text>
    </Flex>
  );
}

/**
 * One pair's row. Memoised: a choice changes one row, and a recording's pairs may be hundreds
 * (the store's actions and the current pair's setter stay the same; `onShow` must too).
 */
const PairRow = memo(function PairRow({
  pair,
  index,
  choice,
  current,
  labelsId,
  choose,
  relabel,
  setCurrent,
  onShow,
}: {
  pair: AgreementPair;
  index: number;
  choice: Choice;
  current: boolean;
  labelsId: string;
  choose: RecordingAgreement["choose"];
  relabel: RecordingAgreement["relabel"];
  setCurrent: RecordingAgreement["setCurrent"];
  onShow: (pair: AgreementPair) => void;
}) {
  const n = index + 1;
  return (
    <Table.Row data-current={current}>
      <Table.RowHeaderCell>
        <Flex gap="1" align="center">
          {n}
          <IconButton
            size="1"
            variant="ghost"
            aria-label={`Show pair ${n} on the spectrogram`}
            onClick={() => {
              setCurrent(index);
              onShow(pair);
            }}
          >
            <Crosshair size={14} aria-hidden="true" />
          </IconButton>
        </Flex>
      </Table.RowHeaderCell>
      <Table.Cell>{boxText(pair.a)}</Table.Cell>
      <Table.Cell>
        {boxText(pair.b)}{" "}
        {pair.same_label === false && (
          <Badge size="1" color="orange">
            labels differ
          </Badge>
        )}
      </Table.Cell>
      <Table.Cell>{pair.iou === null ? "—" : pair.iou.toFixed(2)}</Table.Cell>
      <Table.Cell>
        <RadioGroup.Root size="1" aria-label={`Keep, pair ${n}`} value={choice.keep} onValueChange={(value) => choose(index, value as Keep)}>
          {keepsOf(pair).map((keep) => (
            <RadioGroup.Item key={keep} value={keep}>
              {KEEP_NAMES[keep]}
            </RadioGroup.Item>
          ))}
        </RadioGroup.Root>
      </Table.Cell>
      <Table.Cell>
        <TextField.Root
          size="1"
          className="relabel"
          aria-label={`Relabel pair ${n}`}
          placeholder="as drawn"
          // The server's limit (chalicelib/annotations.py MAX_LABEL).
          maxLength={200}
          list={labelsId}
          disabled={choice.keep === "none"}
          value={choice.relabel}
          onChange={(event) => relabel(index, event.target.value)}
        />
      </Table.Cell>
    </Table.Row>
  );
});

/** "Wren, 1.00–1.50 s", or "—" for the side that drew nothing here. */
function boxText(box: Annotation | null): string {
  if (!box) return "—";
  const span = box.end_s === box.start_s ? `${box.start_s.toFixed(2)} s` : `${box.start_s.toFixed(2)}–${box.end_s.toFixed(2)} s`;
  return `${box.label || "(no label)"}, ${span}`;
}
