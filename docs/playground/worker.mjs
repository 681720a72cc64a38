// The playground's Python: Pyodide in this Web Worker, so a long or endless run never freezes the
// page and Stop can end it (the page terminates this worker and starts a new one).
// Messages in: {code}. Messages out: {type: "ready" | "failed" | "stdout" | "stderr" | "display" | "done"}.
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";
import { instance as vizInstance } from "./vendor/viz.js";
import { startGlassgrad } from "./boot.mjs";

const here = new URL("./", import.meta.url);

async function get(name) {
  const response = await fetch(new URL(name, here));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return response;
}

async function start() {
  const manifest = await (await get("manifest.json")).json();
  const bytes = async (name) => new Uint8Array(await (await get(`wheels/${name}`)).arrayBuffer());
  const pyodide = await startGlassgrad({
    loadPyodide,
    vizInstance,
    indexURL: new URL("vendor/pyodide/", here).href,
    wheel: await bytes(manifest.glassgrad),
    tqdm: await bytes(manifest.tqdm),
    write: (stream, text) => postMessage({ type: stream, text }),
  });
  pyodide.FS.writeFile("/home/pyodide/playground.py", await (await get("runner.py")).text());
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide')");
  const runner = pyodide.pyimport("playground");
  const versions = pyodide.runPython("import sys, autograd; f'Python {sys.version.split()[0]}, glassgrad {autograd.__version__}'");
  postMessage({ type: "ready", versions });
  return runner;
}

const ready = start().catch((error) => {
  postMessage({ type: "failed", text: String(error && error.stack || error) });
  return null;
});

self.onmessage = async (event) => {
  const runner = await ready;
  if (!runner) return;
  const display = (kind, data) => postMessage({ type: "display", kind, data });
  let ok = false;
  try {
    ok = runner.run(event.data.code, display);
  } catch (error) {  // an error of Pyodide itself, not of the learner's code
    postMessage({ type: "stderr", text: String(error) + "\n" });
  }
  postMessage({ type: "done", ok });
};
