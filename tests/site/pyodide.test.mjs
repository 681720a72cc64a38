// glassgrad's wheel under Pyodide's Python in Node (no browser): backward, codegen, fit and
// the DOT text drawn by Graphviz-in-WebAssembly, started the same way as the playground
// (docs/playground/boot.mjs).  The site build must have run: it leaves the wheel and the tqdm
// archive in <site>/playground/wheels/ (GLASSGRAD_SITE_DIR, default build/site).
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

import { loadPyodide } from "pyodide";
import { instance as vizInstance } from "@viz-js/viz";

import { startGlassgrad } from "../../docs/playground/boot.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const site = resolve(process.env.GLASSGRAD_SITE_DIR || join(root, "build/site"));
const wheels = join(site, "playground/wheels");
const indexURL = dirname(createRequire(import.meta.url).resolve("pyodide/package.json")) + "/";

function archive(prefix) {
  const name = readdirSync(wheels).find((f) => f.startsWith(prefix));
  assert.ok(name, `no ${prefix}* in ${wheels}: build the site first (python docs/build_site.py)`);
  return new Uint8Array(readFileSync(join(wheels, name)));
}

test("glassgrad's smoke test runs under Pyodide's Python", { timeout: 180_000 }, async () => {
  const output = { stdout: "", stderr: "" };
  const pyodide = await startGlassgrad({
    loadPyodide,
    vizInstance,
    indexURL,
    wheel: archive("glassgrad-"),
    tqdm: archive("tqdm-"),
    write: (stream, text) => { output[stream] += text; },
  });
  pyodide.runPython(readFileSync(join(root, "tests/site/smoke_pyodide.py"), "utf8"));
  const result = JSON.parse(output.stdout.trim().split("\n").pop());
  assert.match(result.python, /^3\.\d+/);
  assert.equal(result.backend, "browser");
  assert.ok(Math.abs(result.w1_grad - result.expected_w1_grad) < 1e-12);
  assert.ok(result.svg_chars > 1000 && result.dot_chars > 100);
  assert.equal(result.steps, 5); // one step per operation: two ×, two +, one tanh
  assert.ok(result.last_cost < result.first_cost);
  assert.doesNotMatch(output.stderr, /thread/i, "tqdm must not try to start a thread");
  console.log(`Pyodide Python ${result.python}: ${JSON.stringify(result)}`);
});
