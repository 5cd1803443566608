// encdec playground: the live model. When the page carries encdec's
// WebAssembly module and a checkpoint (`encdec explore` writes both, base64,
// in #encdec-module and #encdec-model), an input box decodes in the page
// (greedy, beam or sampling), the temperature, top-k and top-p knobs reshape
// every step at once, ▶ plays the decoding, and the fragment
// (#text=…&mode=…) carries the sentence and the settings. Every number comes
// from the module (src/viz/explorer/live.rs), the code `encdec` runs.
"use strict";
(function () {
  const E = window.encdec, t = E.t, el = E.el;
  const controls = document.getElementById("encdec-controls");
  const S = { text: E.data.input, mode: "greedy", beam: 4, temperature: 1, top_k: 0, top_p: 1, seed: 0 };
  let X = null;

  // ---- the module: bytes in, JSON out -------------------------------------
  const bytesOf = (id) => Uint8Array.from(atob(document.getElementById(id).textContent), (c) => c.charCodeAt(0));
  // The calls of module X, as a function of JSON requests (also the training
  // worker's, train.js, which gets this function's source).
  function glue(X) {
    const pass = (data, fn) => {
      const ptr = X.encdec_alloc(data.length);
      new Uint8Array(X.memory.buffer, ptr, data.length).set(data);
      const len = fn(ptr, data.length);
      X.encdec_free(ptr, data.length);
      const answer = JSON.parse(new TextDecoder().decode(new Uint8Array(X.memory.buffer, X.encdec_answer_ptr(), len)));
      if ("error" in answer) throw new Error(answer.error);
      return answer.ok;
    };
    const call = (request) => pass(new TextEncoder().encode(JSON.stringify(request)), X.encdec_call);
    call.load = (bytes) => pass(bytes, X.encdec_load);
    return call;
  }
  E.glue = glue;
  // The module's imports are only those of crates it links but never calls
  // in the page (plotters' web backend): each is a function that says so.
  async function instantiate(bytes) {
    const module = await WebAssembly.compile(bytes);
    const imports = {};
    for (const i of WebAssembly.Module.imports(module)) {
      (imports[i.module] = imports[i.module] || {})[i.name] = () => { throw new Error("encdec's module called " + i.name + ", which the page does not provide"); };
    }
    return { module: module, instance: await WebAssembly.instantiate(module, imports) };
  }
  E.instantiate = instantiate;

  // ---- the fragment: the sentence and the settings --------------------------
  const KEYS = { text: "text", mode: "mode", beam: "beam", temperature: "t", top_k: "k", top_p: "p", seed: "seed" };
  function readFragment() {
    const f = new URLSearchParams(location.hash.slice(1));
    for (const [k, short] of Object.entries(KEYS)) {
      if (!f.has(short)) continue;
      S[k] = k === "text" || k === "mode" ? f.get(short) : +f.get(short);
    }
    if (f.has("lang")) E.lang = f.get("lang") === "zh" ? "zh" : "en";
  }
  function fragment() {
    const f = new URLSearchParams();
    for (const [k, short] of Object.entries(KEYS)) f.set(short, S[k]);
    f.set("lang", E.lang);
    return "#" + f.toString();
  }
  function writeFragment() {
    try { history.replaceState(null, "", fragment()); } catch (e) { /* a sandboxed frame */ }
    const link = controls.querySelector("#encdec-link");
    if (link) link.href = fragment();
  }

  // ---- decoding -------------------------------------------------------------
  const status = el("p", { id: "encdec-status", class: "status", role: "status" });
  function decode() {
    try {
      const request = Object.assign({ op: "explore", shown: 5 }, S);
      const data = E.call(request);
      if (S.mode === "sample") data.sampled = [S.temperature, S.seed];
      data.reshaped = E.call(Object.assign({ op: "reshape", shown: 5 }, S)).steps;
      status.textContent = data.unknown.length ? t("live.unknown", data.unknown.join(", ")) : "";
      E.render(data);
      writeFragment();
    } catch (e) {
      status.textContent = t("live.error", e.message);
    }
  }
  E.decode = decode;
  // The knobs reshape the steps at once; sampling draws again with them.
  function reshape() {
    if (S.mode === "sample") return decode();
    E.data.reshaped = E.call(Object.assign({ op: "reshape", shown: 5 }, S)).steps;
    E.render(E.data);
    writeFragment();
  }

  // ---- ▶ play: the decoding as a process -------------------------------------
  let timer = null;
  function play(button) {
    if (timer) { clearInterval(timer); timer = null; button.textContent = t("live.play"); return; }
    let i = 0;
    button.textContent = t("live.pause");
    E.selectStep(0);
    timer = setInterval(() => {
      i += 1;
      if (i >= E.data.steps.length) { clearInterval(timer); timer = null; button.textContent = t("live.play"); return; }
      E.selectStep(i);
    }, 900);
  }

  // ---- the panel ---------------------------------------------------------------
  function slider(key, min, max, step, label) {
    const value = el("output", { text: S[key] });
    const input = el("input", { type: "range", min: min, max: max, step: step, value: S[key], "data-knob": key, "aria-label": label });
    input.addEventListener("input", () => { S[key] = +input.value; value.textContent = S[key] === 0 && key === "top_k" ? t("live.off") : S[key]; reshape(); });
    if (key === "top_k" && S.top_k === 0) value.textContent = t("live.off");
    return el("label", { class: "knob" }, [el("span", { text: label }), input, value]);
  }
  function panel(vocab) {
    const box = el("textarea", { id: "encdec-input", rows: 2, "aria-label": t("live.input") });
    box.value = S.text;
    let wait = null;
    box.addEventListener("input", () => { S.text = box.value; clearTimeout(wait); wait = setTimeout(decode, 150); });
    const mode = el("select", { id: "encdec-mode", "aria-label": t("live.mode") }, ["greedy", "beam", "sample"].map((m) => el("option", { value: m, text: t("live.mode." + m) })));
    mode.value = S.mode;
    mode.addEventListener("change", () => { S.mode = mode.value; decode(); });
    const beam = el("input", { type: "number", min: 1, max: 16, value: S.beam, "aria-label": t("live.beam") });
    beam.addEventListener("change", () => { S.beam = Math.max(1, Math.min(16, +beam.value || 1)); decode(); });
    const seed = el("input", { type: "number", min: 0, value: S.seed, "aria-label": t("live.seed") });
    seed.addEventListener("change", () => { S.seed = Math.max(0, Math.floor(+seed.value || 0)); decode(); });
    const logs = el("input", { type: "checkbox", id: "encdec-logp" });
    logs.addEventListener("change", () => { E.showLogProbs = logs.checked; E.render(E.data); });
    const playButton = el("button", { type: "button", id: "encdec-play", text: t("live.play") });
    playButton.addEventListener("click", () => play(playButton));
    const words = el("details", { id: "encdec-vocab" }, [el("summary", { text: t("live.vocab", vocab.length) }),
      el("p", { class: "vocab", text: vocab.join("  ") })]);
    const lang = el("button", { type: "button", id: "encdec-lang", text: E.lang === "zh" ? "English" : "中文" });
    lang.addEventListener("click", () => { E.lang = E.lang === "zh" ? "en" : "zh"; build(vocab); E.render(E.data); writeFragment(); });
    return [el("div", { class: "live-head" }, [el("h2", { text: t("live.title") }), lang]),
      el("p", { class: "note", text: t("live.note") }),
      el("label", { class: "input" }, [el("span", { text: t("live.input") }), box]), status,
      el("div", { class: "knobs" }, [
        el("label", {}, [el("span", { text: t("live.mode") }), mode]),
        el("label", {}, [el("span", { text: t("live.beam") }), beam]),
        slider("temperature", 0.1, 3, 0.1, t("live.temperature")), slider("top_k", 0, 50, 1, t("live.top_k")),
        slider("top_p", 0.05, 1, 0.05, t("live.top_p")),
        el("label", {}, [el("span", { text: t("live.seed") }), seed]),
        el("label", {}, [logs, el("span", { text: t("live.logp") })]), playButton]),
      el("p", { class: "note", text: t("live.knobs") }), words,
      el("p", { class: "note" }, [el("a", { id: "encdec-link", href: fragment(), text: t("live.link") }), document.createTextNode(" " + t("live.link.note"))])];
  }
  function build(vocab) {
    controls.replaceChildren(...(X ? panel(vocab) : [langOnly()]));
    document.documentElement.lang = E.lang === "zh" ? "zh-CN" : "en";
    if (E.onPanel) E.onPanel(controls);
  }
  // A static page (no module) still switches language.
  function langOnly() {
    const lang = el("button", { type: "button", id: "encdec-lang", text: E.lang === "zh" ? "English" : "中文" });
    lang.addEventListener("click", () => { E.lang = E.lang === "zh" ? "en" : "zh"; build([]); E.render(E.data); });
    return el("div", { class: "live-head" }, [el("p", { class: "note", text: t("live.static") }), lang]);
  }

  // Makes the checkpoint in `bytes` the page's model and decodes again.
  E.loadModel = function (bytes) {
    E.model = E.call.load(bytes);
    build(E.model.src_vocab);
    decode();
  };

  async function start() {
    readFragment();
    if (!document.getElementById("encdec-module")) { build([]); E.render(E.data); return; }
    const begun = performance.now();
    E.moduleBytes = bytesOf("encdec-module");
    X = (await instantiate(E.moduleBytes)).instance.exports;
    E.call = glue(X);
    E.loadModel(bytesOf("encdec-model"));
    document.documentElement.setAttribute("data-live", "1");
    document.documentElement.setAttribute("data-load-ms", Math.round(performance.now() - begun));
  }
  start();
})();
