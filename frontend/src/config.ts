/** What the server running the page tells it (/config.json, written by the local stack). */
export interface Config {
  apiUrl: string;
  maxUploadBytes: number;
}

export async function loadConfig(): Promise<Config> {
  const answer = await fetch("/config.json", { cache: "no-store" });
  if (!answer.ok) throw new Error(`/config.json answered ${answer.status}: the page cannot find the API.`);
  return (await answer.json()) as Config;
}
