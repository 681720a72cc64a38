// Start Pyodide with the glassgrad wheel (and tqdm) in its site-packages and Graphviz-in-WebAssembly
// registered as the `glassgrad_graphviz` module that autograd/graph/browser.py draws with.
// Shared by the playground's Web Worker and the Node test (tests/site/pyodide.test.mjs), so both
// start glassgrad the same way.

export async function startGlassgrad({ loadPyodide, vizInstance, indexURL, wheel, tqdm, write }) {
  const pyodide = await loadPyodide({ indexURL, checkAPIVersion: true });
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  for (const stream of ["stdout", "stderr"]) {
    const setter = stream === "stdout" ? "setStdout" : "setStderr";
    pyodide[setter]({
      write: (bytes) => {
        write(stream, decoders[stream].decode(bytes, { stream: true }));
        return bytes.length;
      },
    });
  }
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(wheel, "wheel");
  pyodide.unpackArchive(tqdm, "zip", { extractDir: sitePackages });
  const viz = await vizInstance();
  pyodide.registerJsModule("glassgrad_graphviz", {
    render: (dot, format) => viz.renderString(dot, { format }),
  });
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
  return pyodide;
}
