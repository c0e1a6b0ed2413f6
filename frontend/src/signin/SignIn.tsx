import { Button, Card, TextField } from "@radix-ui/themes";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { withoutAnswer } from "./cognito";
import type { SignInMethod } from "./methods";

export function SignIn({ method, onSignedIn }: { method: SignInMethod; onSignedIn: (token: string) => void }) {
  const [username, setUsername] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const completing = useRef(false);

  // Back from a redirect sign-in: trade its answer (once) and take it out of the address bar.
  useEffect(() => {
    if (method.kind !== "redirect" || completing.current) return;
    completing.current = true;
    const url = new URL(window.location.href);
    method.complete(url).then(
      (token) => token && onSignedIn(token),
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
    if (withoutAnswer(url) !== url.toString()) window.history.replaceState(null, "", withoutAnswer(url));
  }, [method, onSignedIn]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (method.kind === "username") onSignedIn(await method.signIn(username.trim()));
      else await method.start();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <Card size="3">
        <h1>Sonagram</h1>
        <form onSubmit={submit}>
          {method.kind === "username" && (
            <label>
              Username
              <TextField.Root value={username} onChange={(e) => setUsername(e.target.value)} autoFocus required />
            </label>
          )}
          <Button type="submit" disabled={busy}>
            Sign in
          </Button>
          {error && <p role="alert">{error}</p>}
        </form>
      </Card>
    </main>
  );
}
