// encdec tape page: draws the record (#tape-data) as a layered graph and
// steps through its reverse loop. Every number shown is the record's,
// which is the tape's own; the page computes nothing but the layout.
(function () {
  const T = window.tape.T;
  const data = JSON.parse(document.getElementById("tape-data").textContent);
  const nodes = data.nodes, steps = data.steps;
  const SVG = "http://www.w3.org/2000/svg";
  const CELL = 56, LINE = 15, GAP_X = 44, GAP_Y = 14;
  let done = 0; // how many steps of the loop have run

  function el(tag, attrs, text, parent) {
    const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // Four significant digits, as the arithmetic lines print them (three in
  // the graph's boxes, where space is short).
  function fmt(x, digits) {
    if (x === 0 || !isFinite(x)) return String(x);
    const s = Number(x.toPrecision(digits || 4)).toString();
    return s === "-0" ? "0" : s;
  }
  function dims(n) { const s = n.shape; const cols = s.length ? s[s.length - 1] || 1 : 1; return [Math.max(1, n.value.length / cols), cols]; }
  function label(n) { return "#" + n.index + " " + (n.name ? n.name + " = " : "") + n.op; }
  function short(i) { const n = nodes[i]; return n.name || n.op; }
  function grid(xs, cols) { const rows = []; for (let r = 0; r < xs.length; r += cols) rows.push(xs.slice(r, r + cols).map(v => fmt(v)).join("  ")); return rows.join("\n"); }

  // --- layout: a column per depth (a leaf is depth 0), rows in tape order.
  const depth = nodes.map(() => 0);
  nodes.forEach((n, i) => { depth[i] = n.inputs.length ? 1 + Math.max(...n.inputs.map(j => depth[j])) : 0; });
  const box = nodes.map(n => { const [r, c] = dims(n); return { w: Math.max(124, 14 + c * CELL), h: 24 + 2 * (14 + r * LINE) + 18, r: r, c: c }; });
  const columns = [];
  nodes.forEach((n, i) => { (columns[depth[i]] = columns[depth[i]] || []).push(i); });
  let x = 10, height = 0;
  columns.forEach(col => {
    const w = Math.max(...col.map(i => box[i].w));
    let y = 10;
    col.forEach(i => { box[i].x = x; box[i].y = y; y += box[i].h + GAP_Y; });
    height = Math.max(height, y);
    x += w + GAP_X;
  });

  // --- the page's frame
  const root = document.getElementById("tape");
  const header = el("div", { class: "header" }, null, root);
  const h1 = el("h1", {}, null, header);
  const langButton = el("button", { id: "tape-lang" }, null, header);
  const intro = el("p", { class: "intro" }, null, root);
  const controls = el("div", { class: "controls" }, null, root);
  const stepButton = el("button", { id: "tape-step" }, null, controls);
  const backButton = el("button", { id: "tape-back" }, null, controls);
  const resetButton = el("button", { id: "tape-reset" }, null, controls);
  const where = el("span", { class: "where", id: "tape-where" }, null, controls);
  const layout = el("div", { class: "layout" }, null, root);
  const graph = el("div", { class: "graph" }, null, layout);
  const panel = el("div", { class: "panel", id: "tape-panel" }, null, layout);
  const svg = el("svg:svg", { width: x, height: height, id: "tape-graph" }, null, graph);

  const edges = [];
  nodes.forEach((n, i) => n.inputs.forEach((j, k) => {
    const a = box[j], b = box[i];
    const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2 + (k - (n.inputs.length - 1) / 2) * 8;
    const d = "M" + x1 + "," + y1 + " C" + (x1 + GAP_X / 2) + "," + y1 + " " + (x2 - GAP_X / 2) + "," + y2 + " " + x2 + "," + y2;
    edges.push(el("svg:path", { class: "edge", d: d, "data-from": j, "data-to": i }, null, svg));
  }));

  const views = nodes.map((n, i) => {
    const b = box[i];
    const g = el("svg:g", { class: "node " + n.role, "data-index": i, transform: "translate(" + b.x + "," + b.y + ")" }, null, svg);
    el("svg:rect", { class: "box", width: b.w, height: b.h, rx: 5 }, null, g);
    el("svg:text", { class: "head", x: 7, y: 16 }, label(n), g);
    const valueLabel = el("svg:text", { class: "label", x: 7, y: 34 }, null, g);
    const cells = (top, cls, xs) => xs.map((v, k) => el("svg:text", { class: cls, x: 7 + (k % b.c) * CELL, y: top + Math.floor(k / b.c) * LINE }, v === null ? "" : fmt(v, 3), g));
    cells(34 + LINE, "v", n.value);
    const gradTop = 34 + b.r * LINE + 18;
    const gradLabel = el("svg:text", { class: "label", x: 7, y: gradTop }, null, g);
    const gradCells = cells(gradTop + LINE, "g", n.value.map(() => null));
    const contribs = el("svg:text", { class: "contribs", x: 7, y: b.h - 6 }, null, g);
    return { g: g, valueLabel: valueLabel, gradLabel: gradLabel, gradCells: gradCells, contribs: contribs };
  });

  // The gradients after `k` steps, and which steps fed each node.
  function state(k) {
    const grads = nodes.map(() => null), from = nodes.map(() => []);
    grads[data.root] = nodes[data.root].value.map(() => data.seed);
    for (let s = 0; s < k; s++) steps[s].contributions.forEach(c => { grads[c.to] = c.after; from[c.to].push(steps[s].node); });
    return { grads: grads, from: from };
  }

  function render() {
    const st = state(done);
    const current = done > 0 ? steps[done - 1] : null;
    const targets = current ? current.contributions.map(c => c.to) : [];
    const visited = new Set(steps.slice(0, done).map(s => s.node));
    h1.textContent = T("title", data.title);
    intro.textContent = T("intro", data.root);
    stepButton.textContent = T("step"); backButton.textContent = T("back");
    resetButton.textContent = T("reset"); langButton.textContent = T("lang");
    where.textContent = T("where", done, steps.length);
    stepButton.disabled = done >= steps.length; backButton.disabled = done === 0;
    nodes.forEach((n, i) => {
      const v = views[i], grad = st.grads[i];
      v.valueLabel.textContent = T("value");
      v.gradLabel.textContent = T("grad") + (grad || n.role === "constant" ? "" : "  " + T("no_grad")) + (n.role === "constant" ? "  " + T("no_grad_needed") : "");
      v.gradCells.forEach((c, k) => { c.textContent = grad ? fmt(grad[k], 3) : ""; if (grad) c.setAttribute("data-v", String(grad[k])); else c.removeAttribute("data-v"); });
      const from = st.from[i];
      v.g.setAttribute("data-contribs", from.length);
      v.contribs.textContent = from.length ? T("received", from.length, from.map(j => "#" + j).join(" + ")) : "";
      const cls = ["node", n.role];
      if (visited.has(i)) cls.push("done");
      if (current && current.node === i) cls.push("current");
      if (targets.includes(i)) cls.push("target");
      v.g.setAttribute("class", cls.join(" "));
    });
    edges.forEach(e => e.setAttribute("class", "edge" + (current && +e.dataset.to === current.node ? " on" : "")));
    explain(current, st);
    root.setAttribute("data-step", done);
  }

  function explain(current, st) {
    panel.textContent = "";
    if (!current) {
      el("h2", {}, T(done === 0 ? "start.title" : "end.title"), panel);
      el("p", {}, T("start.body"), panel);
      return;
    }
    const n = nodes[current.node];
    el("h2", {}, T("step.title", done, steps.length, current.node, label(n).replace(/^#\d+ /, "")), panel);
    el("p", {}, T("step.reads", current.node), panel);
    el("pre", {}, "dy = " + grid(current.grad, dims(n)[1]), panel);
    if (!current.contributions.length) el("p", {}, T("noop"), panel);
    current.contributions.forEach(c => {
      const box = el("div", { class: "contribution", "data-to": c.to }, null, panel);
      el("p", {}, T("into", c.operand + 1, c.to, short(c.to)), box);
      el("span", { class: "rule" }, c.rule, box);
      if (c.arithmetic.length) el("pre", {}, c.arithmetic.join("\n"), box);
      const cols = dims(nodes[c.to])[1];
      if (c.before) {
        const earlier = steps.slice(0, done - 1).filter(s => s.contributions.some(d => d.to === c.to)).map(s => "#" + s.node).join(", ");
        el("p", { class: "why" }, T("sum", "#" + c.to + " " + short(c.to), earlier), box);
        el("pre", { class: "sum" }, grid(c.before, cols) + "\n+\n" + grid(c.amount, cols) + "\n=\n" + grid(c.after, cols), box);
      } else {
        el("p", {}, T("first", "#" + c.to + " " + short(c.to)), box);
      }
    });
    if (done === steps.length) {
      el("h2", {}, T("end.title"), panel);
      el("p", {}, T("end.body"), panel);
    }
  }

  stepButton.addEventListener("click", () => { if (done < steps.length) { done++; render(); } });
  backButton.addEventListener("click", () => { if (done > 0) { done--; render(); } });
  resetButton.addEventListener("click", () => { done = 0; render(); });
  langButton.addEventListener("click", () => { window.tape.lang = window.tape.lang === "zh" ? "en" : "zh"; document.documentElement.lang = window.tape.lang === "zh" ? "zh-CN" : "en"; render(); });
  render();
  root.setAttribute("data-ready", "1");
})();
