import { Flex, Heading, Link } from "@radix-ui/themes";
import { useEffect, useState } from "react";
import { writeLabPlace } from "../page/link";
import type { LabApi } from "./labApi";
import type { Project } from "../api/types";

/**
 * The top of a project's lab page: the way back, the heading, the project's other lab page.
 * Answers the project (with the caller's role) once read; a refusal shows as the page's alert.
 */
export function useProject(api: LabApi, projectId: string): { project: Project | null; error: string | null } {
  const [answer, setAnswer] = useState<{ project: Project | null; error: string | null }>({ project: null, error: null });
  useEffect(() => {
    let current = true;
    api.project(projectId).then(
      (project) => current && setAnswer({ project, error: null }),
      (failure: unknown) => current && setAnswer({ project: null, error: failure instanceof Error ? failure.message : String(failure) }),
    );
    return () => {
      current = false;
    };
  }, [api, projectId]);
  return answer;
}

export function LabHeading({ title, projectId, other }: { title: string; projectId: string; other: "members" | "dashboard" }) {
  return (
    <Flex className="lab-heading" align="baseline" gap="4" wrap="wrap">
      <Link href="./">← All recordings</Link>
      <Heading as="h1" size="5">
        {title}
      </Heading>
      <Link href={writeLabPlace({ page: other, projectId })}>{other === "members" ? "Members" : "Dashboard"}</Link>
    </Flex>
  );
}
