import { createRoot } from "react-dom/client";
import { App } from "./App";
import { loadConfig } from "./config";
import "./style.css";

const root = createRoot(document.getElementById("root")!);
loadConfig().then(
  (config) => root.render(<App config={config} />),
  (failure: unknown) => root.render(<p role="alert">{String(failure)}</p>),
);
