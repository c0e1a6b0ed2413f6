import { Theme } from "@radix-ui/themes";
import "@radix-ui/themes/styles.css";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { loadConfig } from "./config";
import "./keys/focus.css";
import "./style.css";

const root = createRoot(document.getElementById("root")!);
loadConfig().then(
  // One theme for every control (Radix Themes): compact, as a tool used all day should be;
  // indigo, whose solid and soft buttons keep their text at WCAG AA contrast (teal does not).
  (config) =>
    root.render(
      <Theme accentColor="indigo" grayColor="slate" radius="small" scaling="90%">
        <App config={config} />
      </Theme>,
    ),
  (failure: unknown) => root.render(<p role="alert">{String(failure)}</p>),
);
