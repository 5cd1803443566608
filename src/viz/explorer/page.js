// encdec explorer: draws the data embedded in the page (see src/explore/html.rs).
// Plain DOM, no libraries, no network. Every element the browser test reads
// carries data-* attributes: data-step, data-kind/data-layer/data-head,
// data-beam-step.
"use strict";
(function () {
  const root = document.getElementById("encdec-explorer");
  const D = JSON.parse(document.getElementById("encdec-data").textContent);
  const COLOURS = JSON.parse(document.getElementById("encdec-colours").textContent);
  // Okabe and Ito's palette: told apart with every common colour blindness
  // (its yellow, hard to see on white, last).
  const HEAD_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"];
  const SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, children) {
    const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children || []) e.appendChild(c);
    return e;
  }
  // The heatmap scale of encdec's pictures (plot::colour_scale), sampled.
  function colour(w) {
    const t = Math.min(Math.max(w, 0), 1) * (COLOURS.length - 1);
    const i = Math.min(Math.floor(t), COLOURS.length - 2);
    const a = COLOURS[i], b = COLOURS[i + 1], f = t - i;
    const mix = (k) => Math.round(a[k] + (b[k] - a[k]) * f);
    return "rgb(" + mix(0) + "," + mix(1) + "," + mix(2) + ")";
  }
  const tip = el("div", { class: "tip", role: "status" });
  document.body.appendChild(tip);
  function showTip(ev, text) {
    tip.textContent = text;
    tip.style.display = "block";
    tip.style.left = Math.min(ev.clientX + 12, window.innerWidth - tip.offsetWidth - 4) + "px";
    tip.style.top = ev.clientY + 14 + "px";
  }
  function hideTip() { tip.style.display = "none"; }
  // The width in pixels of a label in the pictures' font (page.css: svg
  // text), measured rather than guessed: long words, wide scripts.
  const ruler = document.createElement("canvas").getContext("2d");
  ruler.font = "12px system-ui, \"DejaVu Sans\", sans-serif";
  const textWidth = (w) => Math.ceil(ruler.measureText(w).width);
  const longest = (list) => Math.max(0, ...list.map(textWidth));

  // ---- header ---------------------------------------------------------
  function header() {
    const m = D.model;
    const rows = [
      ["input", D.input], ["output", D.output === "" ? "(no output: the model wrote </s> first; the page shows that step)" : D.output],
      ["model", m.kind + " (" + m.sizes + "), vocabularies " + m.src_vocab + " / " + m.tgt_vocab],
      ["task", D.task],
      ["decoding", (D.beam > 1 ? "beam search, width " + D.beam : "greedy (§3.2)") + ", log p = " + D.log_prob],
    ];
    return el("header", {}, [el("h1", { text: "encdec explorer" }),
      el("dl", {}, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v, "data-field": k })]))]);
  }

  // ---- decoding, step by step ------------------------------------------
  function steps() {
    const list = el("ol", { class: "steps" });
    D.steps.forEach((s, t) => {
      const cands = s.top.slice();
      if (!cands.some(([w]) => w === s.chosen)) cands.push([s.chosen, s.p]);
      const bars = cands.map(([w, p]) => el("div", { class: "cand" + (w === s.chosen ? " chosen" : "") }, [
        el("span", { class: "word", text: w }),
        el("span", { class: "bar" }, [el("span", { style: "width:" + (100 * p).toFixed(1) + "%" })]),
        el("span", { class: "p", text: p.toFixed(3) }),
      ]));
      list.appendChild(el("li", { "data-step": t + 1, "data-chosen": s.chosen }, [
        el("div", { class: "read", text: "step " + (t + 1) + ": reads " + s.read + ", writes " + s.chosen }), ...bars]));
    });
    return el("section", { id: "steps" }, [el("h2", { text: "Decoding, step by step" }),
      el("p", { class: "note", text: "At each step the decoder scores every word of its vocabulary; these are the " +
        (D.steps[0] ? D.steps[0].top.length : 0) + " most probable (probability after the softmax). " +
        (D.beam > 1 ? "Beam search may write a word that is not the most probable at its step." : "Greedy decoding writes the most probable one (marked).") }),
      list]);
  }

  // ---- the beam as a tree -----------------------------------------------
  function beam() {
    // Each column is as wide as its longest word (and the ■ of a finished one).
    const rowH = 34, colX = [60];
    D.beam_steps.forEach((step) => colX.push(colX[colX.length - 1] + Math.max(70, 40 + longest(step.map((n) => n.tokens[n.tokens.length - 1] + " ■")))));
    const width = colX[colX.length - 1] + 20;
    const height = Math.max(...D.beam_steps.map((s) => s.length), 1) * rowH + 20;
    const svg = el("svg:svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, class: "beam" });
    const pos = new Map();
    const key = (tokens) => tokens.join("\u0001");
    pos.set("", [30, height / 2 + 4]);
    svg.appendChild(el("svg:text", { x: 4, y: height / 2 + 4, text: "<s>" }));
    D.beam_steps.forEach((step, t) => {
      step.forEach((n, r) => {
        const x = colX[t], y = 16 + r * rowH;
        const parent = pos.get(key(n.tokens.slice(0, -1)));
        if (parent) svg.appendChild(el("svg:line", { x1: parent[0], y1: parent[1] - 4, x2: x - 3, y2: y - 4, class: n.best ? "edge best" : "edge" }));
        // An edge leaves a word where its text ends.
        pos.set(key(n.tokens), [x + textWidth(n.tokens[n.tokens.length - 1]) + 4, y]);
        const g = el("svg:g", { "data-beam-step": t + 1, "data-beam-rank": r + 1, class: n.best ? "node best" : "node" }, [
          el("svg:text", { x: x, y: y, text: n.tokens[n.tokens.length - 1] + (n.finished ? " ■" : "") }),
          el("svg:text", { x: x, y: y + 12, class: "score", text: n.log_prob.toFixed(2) }),
        ]);
        g.addEventListener("mousemove", (ev) => showTip(ev, n.tokens.join(" ") + "  (log p " + n.log_prob + ")"));
        g.addEventListener("mouseleave", hideTip);
        svg.appendChild(g);
      });
    });
    return el("section", { id: "beam" }, [el("h2", { text: "The beam" }),
      el("p", { class: "note", text: "Each column is a step; it holds the " + D.beam + " prefixes the beam kept, best first, with their total log-probability. ■ marks a prefix that wrote </s> and left the beam. The thick path is the returned sentence (best log p divided by its length)." }),
      el("div", { class: "scroll" }, [svg])]);
  }

  // ---- one attention matrix as a heatmap --------------------------------
  function matrix(map, h) {
    // The key labels, turned 60°, reach up by sin 60° and to the right by
    // cos 60° of their length.
    const W = map.heads[h], cell = 16, left = 8 + longest(map.queries), top = 8 + 0.87 * longest(map.keys);
    const width = left + cell * map.keys.length + 4 + 0.5 * longest(map.keys), height = top + cell * map.queries.length + 4;
    const svg = el("svg:svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height });
    map.keys.forEach((k, j) => svg.appendChild(el("svg:text", { class: "key", transform: "translate(" + (left + j * cell + 11) + "," + (top - 4) + ") rotate(-60)", text: k })));
    map.queries.forEach((q, i) => {
      svg.appendChild(el("svg:text", { class: "query", x: left - 4, y: top + i * cell + 12, text: q }));
      W[i].forEach((w, j) => {
        const r = el("svg:rect", { x: left + j * cell, y: top + i * cell, width: cell - 1, height: cell - 1, fill: colour(w) });
        r.addEventListener("mousemove", (ev) => showTip(ev, q + " → " + map.keys[j] + ": " + w.toFixed(4) + "  (" + map.kind + ", layer " + map.layer + ", head " + (h + 1) + ")"));
        r.addEventListener("mouseleave", hideTip);
        svg.appendChild(r);
      });
    });
    return el("figure", { class: "matrix", "data-kind": map.kind, "data-layer": map.layer, "data-head": h + 1 }, [svg,
      el("figcaption", { text: "layer " + map.layer + ", head " + (h + 1) })]);
  }

  // ---- head view: lines between the words --------------------------------
  function headView(map, only) {
    // Queries end at qx, keys start at kx; the lines run between them.
    const rowH = 20, qx = 8 + longest(map.queries), kx = qx + 152, width = kx + longest(map.keys) + 8;
    const rows = Math.max(map.queries.length, map.keys.length);
    const svg = el("svg:svg", { viewBox: "0 0 " + width + " " + (rows * rowH + 10), class: "heads", width: width });
    const heads = only === null ? map.heads.map((_, h) => h) : [only];
    const lines = [];
    heads.forEach((h) => map.heads[h].forEach((row, i) => row.forEach((w, j) => {
      if (w < 0.01) return;
      const line = el("svg:line", { x1: qx + 6, y1: i * rowH + 15, x2: kx - 6, y2: j * rowH + 15, stroke: HEAD_COLOURS[h % HEAD_COLOURS.length], "stroke-width": 1 + 3 * w, "stroke-opacity": w, "data-i": i, "data-j": j });
      lines.push(line);
      svg.appendChild(line);
    })));
    const focus = (side, idx) => lines.forEach((l) => { l.style.display = idx === null || l.getAttribute(side) == idx ? "" : "none"; });
    const words = (list, x, anchor, side) => list.forEach((w, i) => {
      const t = el("svg:text", { x: x, y: i * rowH + 19, "text-anchor": anchor, class: "word", text: w });
      t.addEventListener("mouseenter", () => focus(side, i));
      t.addEventListener("mouseleave", () => focus(side, null));
      svg.appendChild(t);
    });
    words(map.queries, qx, "end", "data-i");
    words(map.keys, kx, "start", "data-j");
    return svg;
  }

  function attention() {
    const sec = el("section", { id: "attention" }, [el("h2", { text: "Attention" })]);
    if (D.attention.length === 0) {
      sec.appendChild(el("p", { class: "note", text: "This model has no attention: its decoder starts from the encoder's final state and sees nothing else of the source (the §5.1 model)." }));
      return sec;
    }
    sec.appendChild(el("p", { class: "note", text: "Rows are the positions that look (queries), columns the positions looked at (keys); each row sums to 1. Cross-attention rows are the words written; decoder self-attention rows are what the decoder read at each step (<s>, then the word before), and a position never sees those after it. Layers and heads count from 1." }));
    // Head view, with a selector of kind and layer and of one head or all.
    const select = el("select", { "aria-label": "attention and layer" }, D.attention.map((m, i) => el("option", { value: i, text: m.kind + ", layer " + m.layer })));
    const buttons = el("div", { class: "buttons", role: "group" });
    const view = el("div", { class: "headview" });
    let head = null;
    function draw() {
      const map = D.attention[select.value];
      buttons.replaceChildren(...[null, ...map.heads.map((_, h) => h)].map((h) => {
        const b = el("button", { type: "button", text: h === null ? "all heads" : "head " + (h + 1), class: h === head ? "on" : "" });
        if (h !== null) b.style.borderColor = HEAD_COLOURS[h % HEAD_COLOURS.length];
        b.addEventListener("click", () => { head = h; draw(); });
        return b;
      }));
      if (head !== null && head >= map.heads.length) head = null;
      view.replaceChildren(headView(map, head));
    }
    select.addEventListener("change", () => { head = null; draw(); });
    sec.append(el("h3", { text: "Head view" }), el("p", { class: "note", text: "Lines join each query (left) to the keys (right) it looks at; the darker and thicker, the more weight. Hover a word to see only its lines." }), select, buttons, view);
    draw();
    // Matrix view: every kind, layer and head at once.
    sec.append(el("h3", { text: "Matrix view: every layer and head" }), legend());
    D.attention.forEach((map) => {
      sec.appendChild(el("div", { class: "layer", "data-kind": map.kind, "data-layer": map.layer }, [
        el("h4", { text: map.kind + ", layer " + map.layer }),
        el("div", { class: "row" }, map.heads.map((_, h) => matrix(map, h)))]));
    });
    return sec;
  }

  function legend() {
    const stops = COLOURS.map((c, i) => "rgb(" + c.join(",") + ") " + (100 * i / (COLOURS.length - 1)) + "%").join(",");
    return el("div", { class: "legend" }, [el("span", { text: "weight 0" }),
      el("span", { class: "ramp", style: "background:linear-gradient(to right," + stops + ")" }), el("span", { text: "1" })]);
  }

  // For the browser test (page.html#exercise): use every control once, so
  // that an error in an event handler shows up too; count what was drawn.
  function exercise() {
    const hover = (e) => ["mouseenter", "mousemove", "mouseleave"].forEach((t) => e.dispatchEvent(new MouseEvent(t, { clientX: 5, clientY: 5 })));
    const select = root.querySelector("#attention select");
    let views = 0;
    if (select) {
      for (const option of Array.from(select.options)) {
        select.value = option.value;
        select.dispatchEvent(new Event("change"));
        const n = root.querySelectorAll(".buttons button").length;
        for (let i = 0; i < n; i++) {
          root.querySelectorAll(".buttons button")[i].click();
          root.querySelectorAll(".headview .word").forEach(hover);
          views++;
        }
      }
    }
    root.querySelectorAll("rect, .node").forEach(hover);
    root.setAttribute("data-exercised", views);
  }

  root.append(header(), steps());
  if (D.beam_steps.length > 0) root.appendChild(beam());
  root.appendChild(attention());
  if (location.hash === "#exercise") exercise();
  root.setAttribute("data-ready", "1");
})();
