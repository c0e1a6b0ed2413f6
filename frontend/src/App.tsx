import { Button, Flex } from "@radix-ui/themes";
import { AudioLines, ClipboardList, LogOut } from "lucide-react";
import { useMemo, useState } from "react";
import { ApiClient } from "./api/client";
import type { Config } from "./config";
import { ProjectAgreement } from "./consensus/ProjectAgreement";
import { Dashboard } from "./lab/Dashboard";
import { labApi } from "./lab/labApi";
import { MembersPage } from "./lab/MembersPage";
import { MyWork } from "./lab/MyWork";
import { readLabPlace, readPlace, readReviewPlace, writeLabPlace } from "./page/link";
import { RecordingPage } from "./page/RecordingPage";
import { Recordings } from "./recordings/Recordings";
import { ReviewPage } from "./review/ReviewPage";
import { SignIn } from "./signin/SignIn";
import { signInMethod } from "./signin/methods";
import { session } from "./signin/session";

export function App({ config }: { config: Config }) {
  const [token, setToken] = useState(session.token);
  const api = useMemo(
    () =>
      new ApiClient({
        baseUrl: config.apiUrl,
        token: session.token,
        onUnauthorized: () => {
          session.forget();
          setToken(null);
        },
      }),
    [config.apiUrl],
  );
  const method = useMemo(() => signInMethod(config.auth, api), [config.auth, api]);
  const lab = useMemo(() => labApi(api), [api]);

  // Links are plain page loads (`?recording=…`): the session survives them.
  const reviewPlace = readReviewPlace(window.location.search);
  const place = readPlace(window.location.search);
  const labPlace = readLabPlace(window.location.search);

  if (!token) {
    return (
      <SignIn
        method={method}
        onSignedIn={(t) => {
          session.keep(t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <div className="app">
      <header className="app-header">
        <a className="product" href="./" aria-label="Sonagram: all recordings">
          <AudioLines size={18} aria-hidden="true" />
          Sonagram
        </a>
        <Flex gap="3" align="center">
          <Button asChild size="1" variant="ghost">
            <a href={writeLabPlace({ page: "work" })} aria-current={labPlace?.page === "work" ? "page" : undefined}>
              <ClipboardList size={14} aria-hidden="true" />
              My work
            </a>
          </Button>
          <Button
            size="1"
            variant="soft"
            color="gray"
            onClick={() => {
              session.forget();
              setToken(null);
              method.signOut?.();
            }}
          >
            <LogOut size={14} aria-hidden="true" />
            Sign out
          </Button>
        </Flex>
      </header>
      {labPlace?.page === "members" ? (
        <MembersPage api={lab} projectId={labPlace.projectId} cloud={config.auth.kind === "cognito"} />
      ) : labPlace?.page === "dashboard" ? (
        <Dashboard
          api={lab}
          projectId={labPlace.projectId}
          agreement={<ProjectAgreement api={api} projectId={labPlace.projectId} />}
        />
      ) : labPlace?.page === "work" ? (
        <MyWork api={lab} projects={api} state={labPlace.state} projectId={labPlace.projectId} />
      ) : reviewPlace ? (
        <ReviewPage api={api} names={config.review} place={reviewPlace} />
      ) : place ? (
        <RecordingPage api={api} place={place} measurements={config.measurements} />
      ) : (
        <Recordings
          api={api}
          maxUploadBytes={config.maxUploadBytes}
          pipeline={config.pipeline}
          detector={config.detector}
        />
      )}
    </div>
  );
}
