// encdec playground: train in the tab. A Web Worker runs its own copy of the
// module and trains the run `encdec demo` makes (the attention model on the
// built-in English→French corpus, same seed, same losses), a few batches per
// request, posting each batch's loss and accuracy and, every few batches, the
// fox sentence's decoding and cross-attention (src/viz/explorer/live_train.rs).
// The page draws the two curves, a progress bar with an ETA, and the
// attention as it forms; a slider replays the snapshots (or those of
// `encdec train --watch`, embedded by `explore --watch`). When the run ends,
// the trained model becomes the page's model and can be saved.
"use strict";
(function () {
  const E = window.encdec, t = E.t, el = E.el;
  if (!E.glue) return;
  const FOX = "the quick brown fox jumps over the lazy dog";
  const watched = document.getElementById("encdec-watch");
  const R = { steps: [], epochs: [], snapshots: watched ? JSON.parse(watched.textContent).snapshots : [], worker: null, begun: 0, total: 0, result: null };

  // Runs in the worker: instantiate, then train and post until the run ends.
  function workerMain() {
    onmessage = (ev) => run(ev.data).catch((e) => postMessage({ type: "error", message: String(e && e.message || e) }));
    async function run(m) {
      const X = (await instantiate(m.bytes)).instance.exports;
      const call = glue(X);
      postMessage({ type: "started", info: call({ op: "train_start", epochs: m.epochs, seed: m.seed }) });
      postMessage({ type: "snapshot", snap: call({ op: "train_snapshot", sentence: m.sentence }) });
      let since = 0;
      for (;;) {
        const r = call({ op: "train_run", batches: 4 });
        postMessage({ type: "progress", r: r });
        since += r.steps.length;
        if (since >= m.every || r.epoch_end !== null || r.done) {
          since = 0;
          postMessage({ type: "snapshot", snap: call({ op: "train_snapshot", sentence: m.sentence }) });
        }
        if (r.done) break;
      }
      postMessage({ type: "done", fin: call({ op: "train_finish" }) });
    }
  }

  function start(epochs, seed) {
    if (R.worker) R.worker.terminate();
    Object.assign(R, { steps: [], epochs: [], snapshots: [], begun: performance.now(), total: 0, result: null });
    const source = "\"use strict\";\nconst glue = " + E.glue + ";\nconst instantiate = " + E.instantiate + ";\n(" + workerMain + ")();";
    R.worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    R.worker.onerror = (e) => { R.error = e.message; draw(); };
    R.worker.onmessage = (ev) => receive(ev.data);
    R.worker.postMessage({ bytes: E.moduleBytes, epochs: epochs, seed: seed, sentence: FOX, every: 20 });
    draw();
  }
  function receive(m) {
    if (m.type === "started") { R.perEpoch = m.info.batches_per_epoch; R.total = R.perEpoch * m.info.epochs; }
    if (m.type === "progress") {
      R.steps.push(...m.r.steps);
      if (m.r.epoch_end) R.epochs.push(m.r.epoch_end);
    }
    if (m.type === "snapshot") R.snapshots.push(m.snap);
    if (m.type === "error") { R.error = t("train.failed", m.message); R.worker.terminate(); R.worker = null; }
    if (m.type === "done") {
      R.result = m.fin;
      R.seconds = (performance.now() - R.begun) / 1000;
      R.worker.terminate();
      R.worker = null;
      E.loadModel(Uint8Array.from(atob(m.fin.checkpoint), (c) => c.charCodeAt(0)));
    }
    draw();
  }

  // Loss (left axis) and accuracy (right axis) of every batch; epochs' validation as dots.
  function chart() {
    const W = 640, H = 220, L = 44, Rm = 44, T = 10, B = 28;
    const svg = el("svg:svg", { viewBox: "0 0 " + W + " " + H, class: "curves", width: "100%", "data-batches": R.steps.length });
    const n = Math.max(R.total, R.steps.length, 1), top = Math.max(1e-9, ...R.steps.map((s) => s.loss));
    const x = (i) => L + (W - L - Rm) * i / n, yl = (v) => T + (H - T - B) * (1 - v / top), ya = (v) => T + (H - T - B) * (1 - v);
    const line = (f, cls) => el("svg:polyline", { class: cls, fill: "none", points: R.steps.map((s, i) => x(i + 1).toFixed(1) + "," + f(s).toFixed(1)).join(" ") });
    svg.append(el("svg:line", { x1: L, y1: H - B, x2: W - Rm, y2: H - B, class: "axis" }), el("svg:line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }), el("svg:line", { x1: W - Rm, y1: T, x2: W - Rm, y2: H - B, class: "axis" }),
      el("svg:text", { x: 2, y: T + 8, text: top.toFixed(2) }), el("svg:text", { x: 2, y: H - B, text: "0" }),
      el("svg:text", { x: W - Rm + 4, y: T + 8, text: "1" }), el("svg:text", { x: W - Rm + 4, y: H - B, text: "0" }),
      el("svg:text", { x: L, y: H - 6, class: "loss-label", text: t("train.loss") }), el("svg:text", { x: W - Rm - 140, y: H - 6, class: "acc-label", text: t("train.accuracy") }),
      line((s) => yl(s.loss), "loss"), line((s) => ya(s.accuracy), "accuracy"));
    R.epochs.forEach((e, k) => svg.appendChild(el("svg:circle", { cx: x((k + 1) * R.perEpoch), cy: ya(e.valid_accuracy), r: 3, class: "valid" })));
    return svg;
  }
  function snapshotView(i) {
    const s = R.snapshots[i];
    if (!s) return el("p", { class: "note", text: t("train.nosnap") });
    const cross = s.data.attention.filter((m) => m.kind === "cross-attention");
    const map = cross[cross.length - 1];
    return el("div", { class: "snapshot", "data-snapshot": i }, [
      el("p", {}, [el("b", { text: t("train.at", s.epoch, s.batch, s.loss === null ? "–" : s.loss.toFixed(3)) }), document.createTextNode(" → " + s.data.output)]),
      map ? E.matrix(map, 0) : el("p", { class: "note", text: t("attention.none") })]);
  }
  function draw() {
    const sec = document.getElementById("training");
    if (!sec) return;
    const done = R.steps.length, elapsed = (performance.now() - R.begun) / 1000;
    const eta = done > 0 && R.total > done ? elapsed / done * (R.total - done) : 0;
    const bar = el("div", { class: "progress", role: "progressbar", "aria-valuenow": done, "aria-valuemax": R.total }, [el("span", { style: "width:" + (R.total ? 100 * done / R.total : 0).toFixed(1) + "%" })]);
    const status = R.result ? t("train.done", R.seconds.toFixed(1), R.result.bleu4.toFixed(4), R.result.test_pairs)
      : R.worker ? t("train.running", done, R.total, elapsed.toFixed(0), eta.toFixed(0)) : R.error ? R.error : "";
    const slider = el("input", { type: "range", min: 0, max: Math.max(0, R.snapshots.length - 1), value: Math.max(0, R.snapshots.length - 1), id: "encdec-replay", "aria-label": t("train.replay") });
    const view = el("div", {}, [snapshotView(R.snapshots.length - 1)]);
    slider.addEventListener("input", () => view.replaceChildren(snapshotView(+slider.value)));
    const body = sec.querySelector(".train-body");
    const parts = [bar, el("p", { class: "status", "data-state": R.result ? "done" : R.worker ? "running" : "idle", text: status }), chart(),
      el("label", { class: "knob" }, [el("span", { text: t("train.replay") }), slider]), view];
    if (R.result) parts.push(saveLink());
    body.replaceChildren(...parts);
  }
  function saveLink() {
    const bytes = Uint8Array.from(atob(R.result.checkpoint), (c) => c.charCodeAt(0));
    return el("p", {}, [el("a", { href: URL.createObjectURL(new Blob([bytes])), download: "playground.ckpt", id: "encdec-save", text: t("train.save") }),
      document.createTextNode(" " + t("train.save.note"))]);
  }
  E.training = R;
  E.onPanel = function (controls) {
    const epochs = el("input", { type: "number", min: 1, max: 8, value: 4, "aria-label": t("train.epochs") });
    const seed = el("input", { type: "number", min: 0, value: 0, "aria-label": t("live.seed") });
    const go = el("button", { type: "button", id: "encdec-train", text: t("train.start") });
    go.addEventListener("click", () => start(Math.max(1, Math.min(8, +epochs.value || 4)), Math.max(0, Math.floor(+seed.value || 0))));
    controls.appendChild(el("section", { id: "training" }, [el("h2", { text: t("train.title") }), el("p", { class: "note", text: t("train.note") }),
      el("div", { class: "knobs" }, [el("label", {}, [el("span", { text: t("train.epochs") }), epochs]), el("label", {}, [el("span", { text: t("live.seed") }), seed]), go]),
      el("div", { class: "train-body" })]));
    draw();
  };
  setInterval(() => { if (R.worker) draw(); }, 1000);
})();
