import { Card, Flex, Heading, Table, Text } from "@radix-ui/themes";
import { useEffect, useId, useMemo, useState } from "react";
import type { ApiClient } from "../api/client";
import { agreementApi } from "./api";
import "./consensus.css";
import { figureSentences, kappaCell, matchedCell, medianCell } from "./figures";
import type { ProjectAgreement as Agreement } from "../api/types";

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/**
 * Agreement between annotators over a project's doubly annotated recordings
 * (GET /projects/{id}/agreement): the pooled figures as sentences, then one row per pair of
 * annotators. For the project's dashboard.
 */
export function ProjectAgreement({ api, projectId }: { api: ApiClient; projectId: string }) {
  const routes = useMemo(() => agreementApi(api), [api]);
  const [answer, setAnswer] = useState<{ projectId: string; agreement: Agreement } | { projectId: string; error: string } | null>(null);
  const id = useId();

  useEffect(() => {
    let current = true;
    routes.getProjectAgreement(projectId).then(
      (agreement) => current && setAnswer({ projectId, agreement }),
      (failure: unknown) => current && setAnswer({ projectId, error: message(failure) }),
    );
    return () => {
      current = false;
    };
  }, [routes, projectId]);

  // An answer about another project (the page changed project) is not shown.
  const shown = answer?.projectId === projectId ? answer : null;
  return (
    <Card asChild className="project-agreement">
      <section aria-labelledby={`${id}-heading`}>
        <Flex direction="column" gap="2">
          <Heading as="h2" size="3" id={`${id}-heading`}>
            Agreement between annotators
          </Heading>
          {shown === null ? (
            <Text size="2">Loading…</Text>
          ) : "error" in shown ? (
            <Text size="2" color="red" role="alert">
              {shown.error}
            </Text>
          ) : (
            <ProjectAgreementFigures agreement={shown.agreement} />
          )}
        </Flex>
      </section>
    </Card>
  );
}

/** The project's figures once read: pooled sentences and a row per pair of annotators. */
export function ProjectAgreementFigures({ agreement }: { agreement: Agreement }) {
  if (agreement.recordings === 0) {
    return <Text size="2">No recording annotated blind by two members is done by both yet.</Text>;
  }
  const recordings = agreement.recordings === 1 ? "1 doubly annotated recording" : `${agreement.recordings} doubly annotated recordings`;
  return (
    <>
      <Text size="2">
        Over {recordings}, A being the first of each pair below and B the second:
      </Text>
      <ul>
        {figureSentences(agreement.figures, ["A", "B"]).map((sentence) => (
          <li key={sentence}>
            <Text size="2">{sentence}</Text>
          </li>
        ))}
      </ul>
      <Table.Root size="1" variant="ghost">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>A</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>B</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Recordings</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>A's matched</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>B's matched</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Cohen's κ</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Onsets B − A (median)</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Offsets B − A (median)</Table.ColumnHeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {agreement.annotator_pairs.map(({ annotators: [a, b], recordings: count, figures }) => (
            <Table.Row key={`${a}|${b}`}>
              <Table.RowHeaderCell>{a}</Table.RowHeaderCell>
              <Table.Cell>{b}</Table.Cell>
              <Table.Cell>{count}</Table.Cell>
              <Table.Cell>{matchedCell(figures, "a")}</Table.Cell>
              <Table.Cell>{matchedCell(figures, "b")}</Table.Cell>
              <Table.Cell title={figures.kappa_undefined ?? undefined}>{kappaCell(figures)}</Table.Cell>
              <Table.Cell>{medianCell(figures.onset_diff_s)}</Table.Cell>
              <Table.Cell>{medianCell(figures.offset_diff_s)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </>
  );
}
