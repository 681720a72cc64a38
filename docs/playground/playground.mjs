// The playground page: an editor, Run / Stop, the printed output and what the code shows.
// Python runs in worker.mjs; this file only talks to it and puts its answers on the page.
const $ = (id) => document.getElementById(id);
const code = $("gg-code"), run = $("gg-run"), stop = $("gg-stop"), status = $("gg-status");
const output = $("gg-output"), shown = $("gg-display"), examples = $("gg-examples");
let worker = null;
let running = false;

function setStatus(text, state) {
  status.textContent = text;
  status.dataset.state = state;  // "starting" | "ready" | "running" | "failed"
}

function write(text, stream) {
  // Carriage returns (a progress bar) rewrite the last line instead of piling up.
  let span = output.lastElementChild;
  if (!span || span.dataset.stream !== stream) {
    span = document.createElement("span");
    span.dataset.stream = stream;
    output.appendChild(span);
  }
  let all = span.textContent + text;
  all = all.replace(/[^\n]*\r(?!\n)/g, "");
  span.textContent = all;
  output.scrollTop = output.scrollHeight;
}

function display(kind, data) {
  const box = document.createElement("div");
  box.className = `gg-shown gg-${kind}`;
  if (kind === "svg") {
    box.innerHTML = data;  // Graphviz's SVG: glassgrad escapes every label it writes
  } else if (kind === "html") {  // a step-through page: its own document, its own script
    const frame = document.createElement("iframe");
    frame.className = "gg-steps";
    frame.title = "step-through viewer";
    frame.setAttribute("sandbox", "allow-scripts");
    frame.srcdoc = data;
    box.appendChild(frame);
  } else {
    const pre = document.createElement("pre");
    pre.textContent = data;
    box.appendChild(pre);
  }
  shown.appendChild(box);
}

function startWorker() {
  setStatus("starting Python (Pyodide) and glassgrad…", "starting");
  run.disabled = true;
  stop.disabled = true;
  worker = new Worker(new URL("worker.mjs", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => {
    if (data.type === "ready") {
      setStatus(`ready: ${data.versions}`, "ready");
      run.disabled = false;
    } else if (data.type === "failed") {
      setStatus("Python failed to start", "failed");
      write(data.text + "\n", "stderr");
    } else if (data.type === "stdout" || data.type === "stderr") {
      write(data.text, data.type);
    } else if (data.type === "display") {
      display(data.kind, data.data);
    } else if (data.type === "done") {
      running = false;
      run.disabled = false;
      stop.disabled = true;
      setStatus(data.ok ? "ready: finished" : "ready: finished with an error (traceback above)", "ready");
    }
  };
  worker.onerror = (event) => {
    setStatus("the Python worker failed", "failed");
    write(`${event.message}\n`, "stderr");
  };
}

function runCode() {
  if (running || run.disabled) return;
  running = true;
  output.textContent = "";
  shown.textContent = "";
  run.disabled = true;
  stop.disabled = false;
  setStatus("running…", "running");
  worker.postMessage({ code: code.value });
}

function stopCode() {
  worker.terminate();
  running = false;
  write("\n[stopped: Python was ended and is starting again; variables are gone]\n", "stderr");
  startWorker();
}

code.addEventListener("keydown", (event) => {
  if (event.key === "Tab" && !event.shiftKey) {  // indent, as an editor does
    event.preventDefault();
    code.setRangeText("    ", code.selectionStart, code.selectionEnd, "end");
  } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    runCode();
  }
});
run.addEventListener("click", runCode);
stop.addEventListener("click", stopCode);

const manifest = await (await fetch(new URL("manifest.json", import.meta.url))).json();
for (const example of manifest.examples) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = example.name;
  button.addEventListener("click", () => {
    code.value = example.code;
    if (!run.disabled) runCode();
  });
  examples.appendChild(button);
}
code.value = manifest.examples[0].code;
startWorker();
