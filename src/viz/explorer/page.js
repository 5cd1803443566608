// encdec explorer: the views of one decoded input (src/viz/explorer/mod.rs
// writes the page). Plain DOM, no libraries, no network. `encdec.render(D)`
// draws the data D (the page's own, or what the live model just computed,
// live.js); every label comes from labels.js through encdec.t. Elements the
// browser test reads carry data-* attributes: data-step, data-kind/
// data-layer/data-head, data-i/data-j, data-beam-step.
"use strict";
(function () {
  const E = window.encdec;
  const t = E.t;
  const root = document.getElementById("encdec-explorer");
  const COLOURS = JSON.parse(document.getElementById("encdec-colours").textContent);
  // Okabe and Ito's palette: told apart with every common colour blindness
  // (its yellow, hard to see on white, last).
  const HEAD_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"];
  const SVG = "http://www.w3.org/2000/svg";
  let D = null;

  function el(tag, attrs, children) {
    const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children || []) e.appendChild(c);
    return e;
  }
  E.el = el;
  // The heatmap scale of encdec's pictures (plot::colour_scale), sampled.
  function colour(w) {
    const x = Math.min(Math.max(w, 0), 1) * (COLOURS.length - 1);
    const i = Math.min(Math.floor(x), COLOURS.length - 2);
    const a = COLOURS[i], b = COLOURS[i + 1], f = x - i;
    const mix = (k) => Math.round(a[k] + (b[k] - a[k]) * f);
    return "rgb(" + mix(0) + "," + mix(1) + "," + mix(2) + ")";
  }
  E.colour = colour;
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
  const kindName = (k) => t("kind." + k);

  // ---- what the model knows of the input (src/seq2seq/decode/known.rs) --
  // Rare words, the first trigram no training source held, a final mark
  // set aside; the trigram's boundary marks say which sentence of the rule.
  function markText(m) {
    if (m.kind === "rare") return t(m.count === 0 ? "mark.unknown" : m.count === 1 ? "mark.rare_once" : "mark.rare", m.word, m.count);
    if (m.kind === "set_aside") return t("mark.set_aside", m.mark);
    if (m.kind !== "outside") return t("mark." + m.kind);
    const [a, b, c] = m.trigram;
    const which = a === "<s>" && c === "</s>" ? "single" : a === "<s>" ? "start" : c === "</s>" ? "end" : "middle";
    const words = which === "single" ? b : which === "start" ? b + " " + c : which === "end" ? a + " " + b : a + " " + b + " " + c;
    return t("mark.outside", t("mark.outside." + which, words));
  }
  function knows() {
    const marks = D.marks || [];
    return marks.length === 0 ? t("mark.none") : marks.map(markText).join(" · ");
  }

  // ---- header ---------------------------------------------------------
  function header() {
    const m = D.model;
    const decoding = D.sampled ? t("decoding.sample", D.sampled) : D.beam > 1 ? t("decoding.beam", D.beam) : t("decoding.greedy");
    const rows = [
      ["input", D.input], ["knows", knows()], ["output", D.output === "" ? t("no_output") : D.output],
      ["model", m.kind + " (" + m.sizes + "), " + t("vocabularies") + " " + m.src_vocab + " / " + m.tgt_vocab],
      ["task", t("task." + D.task)],
      ["decoding", decoding + ", log p = " + (+D.log_prob).toFixed(3)],
    ];
    return el("header", {}, [el("h1", { text: t("title") }),
      el("dl", {}, rows.flatMap(([k, v]) => [el("dt", { text: t("field." + k) }), el("dd", { text: v, "data-field": k })]))]);
  }

  // ---- decoding, step by step ------------------------------------------
  // A step's candidates: [word, probability, log-probability or null].
  function candidates(s, t_) {
    if (D.reshaped) return D.reshaped[t_];
    const c = s.top.map(([w, p]) => [w, p, null]);
    if (!c.some(([w]) => w === s.chosen)) c.push([s.chosen, s.p, null]);
    return c;
  }
  function steps() {
    const list = el("ol", { class: "steps" });
    D.steps.forEach((s, i) => {
      const bars = candidates(s, i).map(([w, p, lp]) => el("div", { class: "cand" + (w === s.chosen ? " chosen" : "") }, [
        el("span", { class: "word", text: w }),
        el("span", { class: "bar" }, [el("span", { style: "width:" + (100 * p).toFixed(1) + "%" })]),
        el("span", { class: "p", "data-p": p, text: E.showLogProbs && lp !== null ? lp.toFixed(2) : p.toFixed(3) }),
      ]));
      const card = el("li", { "data-step": i + 1, "data-chosen": s.chosen, tabindex: 0, class: E.step === i ? "on" : "" }, [
        el("div", { class: "read", text: t("step.line", i + 1, s.read, s.chosen) }), ...bars]);
      card.addEventListener("click", () => E.selectStep(E.step === i ? null : i));
      list.appendChild(card);
    });
    const top = D.steps[0] ? D.steps[0].top.length : 0;
    return el("section", { id: "steps" }, [el("h2", { text: t("steps.title") }),
      el("p", { class: "note", text: t("steps.note", top) + " " + (D.beam > 1 ? t("steps.beam") : t("steps.greedy")) }),
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
    D.beam_steps.forEach((step, s) => {
      step.forEach((n, r) => {
        const x = colX[s], y = 16 + r * rowH;
        const parent = pos.get(key(n.tokens.slice(0, -1)));
        if (parent) svg.appendChild(el("svg:line", { x1: parent[0], y1: parent[1] - 4, x2: x - 3, y2: y - 4, class: n.best ? "edge best" : "edge" }));
        // An edge leaves a word where its text ends.
        pos.set(key(n.tokens), [x + textWidth(n.tokens[n.tokens.length - 1]) + 4, y]);
        const g = el("svg:g", { "data-beam-step": s + 1, "data-beam-rank": r + 1, class: n.best ? "node best" : "node" }, [
          el("svg:text", { x: x, y: y, text: n.tokens[n.tokens.length - 1] + (n.finished ? " ■" : "") }),
          el("svg:text", { x: x, y: y + 12, class: "score", text: n.log_prob.toFixed(2) }),
        ]);
        g.addEventListener("mousemove", (ev) => showTip(ev, n.tokens.join(" ") + "  (log p " + n.log_prob + ")"));
        g.addEventListener("mouseleave", hideTip);
        svg.appendChild(g);
      });
    });
    return el("section", { id: "beam" }, [el("h2", { text: t("beam.title") }),
      el("p", { class: "note", text: t("beam.note", D.beam) }),
      el("div", { class: "scroll" }, [svg])]);
  }

  // ---- one attention matrix as a heatmap --------------------------------
  function matrix(map, h) {
    // The key labels, turned 60°, reach up by sin 60° and to the right by
    // cos 60° of their length.
    const W = map.heads[h], cell = 16, left = 8 + longest(map.queries), top = 8 + 0.87 * longest(map.keys);
    const width = left + cell * map.keys.length + 4 + 0.5 * longest(map.keys), height = top + cell * map.queries.length + 4;
    const svg = el("svg:svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height });
    map.keys.forEach((k, j) => svg.appendChild(el("svg:text", { class: "key", "data-j": j, transform: "translate(" + (left + j * cell + 11) + "," + (top - 4) + ") rotate(-60)", text: k })));
    map.queries.forEach((q, i) => {
      svg.appendChild(el("svg:rect", { class: "rowmark", "data-i": i, x: 0, y: top + i * cell - 1, width: width, height: cell + 1 }));
      svg.appendChild(el("svg:text", { class: "query", "data-i": i, x: left - 4, y: top + i * cell + 12, text: q }));
      W[i].forEach((w, j) => {
        const r = el("svg:rect", { class: "cell", "data-i": i, "data-j": j, x: left + j * cell, y: top + i * cell, width: cell - 1, height: cell - 1, fill: colour(w) });
        r.addEventListener("mousemove", (ev) => showTip(ev, q + " → " + map.keys[j] + ": " + w.toFixed(4) + "  (" + t("where", kindName(map.kind), map.layer, h + 1) + ")"));
        r.addEventListener("mouseleave", hideTip);
        r.addEventListener("click", () => E.openCell && E.openCell(map, h, i, j));
        svg.appendChild(r);
      });
    });
    return el("figure", { class: "matrix", "data-kind": map.kind, "data-layer": map.layer, "data-head": h + 1 }, [svg,
      el("figcaption", { text: t("layer_head", map.layer, h + 1) })]);
  }
  E.matrix = matrix;

  // ---- head view: lines between the words --------------------------------
  // `only`: the set of heads drawn; a word clicked stays locked (so that
  // the view works without hovering: touchpads, phones).
  function headView(map, only) {
    // Queries end at qx, keys start at kx; the lines run between them.
    const rowH = 20, qx = 8 + longest(map.queries), kx = qx + 152, width = kx + longest(map.keys) + 8;
    const rows = Math.max(map.queries.length, map.keys.length);
    const svg = el("svg:svg", { viewBox: "0 0 " + width + " " + (rows * rowH + 10), class: "heads", width: width });
    const lines = [];
    map.heads.forEach((W, h) => { if (only.has(h)) W.forEach((row, i) => row.forEach((w, j) => {
      if (w < 0.01) return;
      const line = el("svg:line", { x1: qx + 6, y1: i * rowH + 15, x2: kx - 6, y2: j * rowH + 15, stroke: HEAD_COLOURS[h % HEAD_COLOURS.length], "stroke-width": 1 + 3 * w, "stroke-opacity": w, "data-i": i, "data-j": j });
      lines.push(line);
      svg.appendChild(line);
    })); });
    let locked = E.lockedWord || null;
    const focus = (f) => lines.forEach((l) => { l.style.display = f === null || l.getAttribute(f[0]) == f[1] ? "" : "none"; });
    const words = (list, x, anchor, side) => list.forEach((w, i) => {
      const word = el("svg:text", { x: x, y: i * rowH + 19, "text-anchor": anchor, class: "word", "data-side": side, "data-index": i, text: w });
      word.addEventListener("mouseenter", () => focus([side, i]));
      word.addEventListener("mouseleave", () => focus(locked));
      word.addEventListener("click", () => { locked = locked && locked[0] === side && locked[1] === i ? null : [side, i]; E.lockedWord = locked; focus(locked); });
      svg.appendChild(word);
    });
    words(map.queries, qx, "end", "data-i");
    words(map.keys, kx, "start", "data-j");
    focus(locked);
    return svg;
  }

  function attention() {
    const sec = el("section", { id: "attention" }, [el("h2", { text: t("attention.title") })]);
    if (D.attention.length === 0) {
      sec.appendChild(el("p", { class: "note", text: t("attention.none") }));
      return sec;
    }
    sec.appendChild(el("p", { class: "note", text: t("attention.note") }));
    // Head view, with a selector of kind and layer and the heads to draw.
    const select = el("select", { "aria-label": t("attention.select") }, D.attention.map((m, i) => el("option", { value: i, text: kindName(m.kind) + ", " + t("layer", m.layer) })));
    select.value = Math.min(E.headMap || 0, D.attention.length - 1);
    const buttons = el("div", { class: "buttons", role: "group" });
    const view = el("div", { class: "headview" });
    function draw() {
      const map = D.attention[select.value];
      const heads = E.heads && [...E.heads].every((h) => h < map.heads.length) ? E.heads : new Set(map.heads.map((_, h) => h));
      buttons.replaceChildren(...map.heads.map((_, h) => {
        const b = el("button", { type: "button", text: t("head", h + 1), class: heads.has(h) ? "on" : "", "aria-pressed": heads.has(h) });
        b.style.borderColor = HEAD_COLOURS[h % HEAD_COLOURS.length];
        // Click toggles one head in or out of the set drawn, as bertviz does.
        b.addEventListener("click", () => { const s = new Set(heads); if (s.has(h) && s.size > 1) s.delete(h); else s.add(h); E.heads = s; draw(); });
        return b;
      }));
      view.replaceChildren(headView(map, heads));
      E.highlight();
    }
    select.addEventListener("change", () => { E.heads = null; E.headMap = +select.value; draw(); });
    sec.append(el("h3", { text: t("headview.title") }), el("p", { class: "note", text: t("headview.note") }), select, buttons, view);
    draw();
    // Matrix view: every kind, layer and head at once.
    sec.append(el("h3", { text: t("matrices.title") }), el("p", { class: "note", text: t("matrices.note") }), legend());
    D.attention.forEach((map) => {
      sec.appendChild(el("div", { class: "layer", "data-kind": map.kind, "data-layer": map.layer }, [
        el("h4", { text: kindName(map.kind) + ", " + t("layer", map.layer) }),
        el("div", { class: "row" }, map.heads.map((_, h) => matrix(map, h)))]));
    });
    return sec;
  }

  function legend() {
    const stops = COLOURS.map((c, i) => "rgb(" + c.join(",") + ") " + (100 * i / (COLOURS.length - 1)) + "%").join(",");
    return el("div", { class: "legend" }, [el("span", { text: t("weight") + " 0" }),
      el("span", { class: "ramp", style: "background:linear-gradient(to right," + stops + ")" }), el("span", { text: "1" })]);
  }

  // Lights up decoding step E.step: its card, its row in every
  // cross-attention matrix, the decoder row that read it, its lines in the
  // head view and the source words it read (by the cross-attention of the
  // last layer, heads averaged).
  E.highlight = function () {
    const i = E.step;
    root.querySelectorAll(".steps li").forEach((li) => li.classList.toggle("on", i !== null && +li.dataset.step === i + 1));
    root.querySelectorAll('figure.matrix[data-kind="cross-attention"] .rowmark, figure.matrix[data-kind="decoder self-attention"] .rowmark').forEach((r) => r.classList.toggle("on", i !== null && +r.dataset.i === i));
    const cross = D.attention.filter((m) => m.kind === "cross-attention");
    const last = cross[cross.length - 1];
    root.querySelectorAll(".source-word").forEach((w) => {
      const j = +w.dataset.j;
      const a = i === null || !last || !last.heads[0][i] ? 0 : last.heads.reduce((s, W) => s + W[i][j], 0) / last.heads.length;
      w.style.background = i === null ? "" : colour(a);
      w.style.color = a > 0.6 ? "#fff" : "";
      w.dataset.weight = a;
    });
    const map = D.attention[E.headMap || 0];
    if (map && map.kind !== "encoder self-attention") {
      root.querySelectorAll(".headview line").forEach((l) => { l.style.display = i === null || +l.dataset.i === i ? "" : "none"; });
    }
  };

  // The source as the model reads it: a word it does not know is shown as
  // <unk>, the word typed beside it.
  function source() {
    const read = D.read_as || D.source.slice(0, -1);
    const words = D.source.map((w, j) => {
      const unk = j < read.length && read[j] !== w;
      return el("span", { class: "source-word" + (unk ? " unk" : ""), "data-j": j, title: unk ? t("unk.title", w) : "", text: unk ? read[j] + " (" + w + ")" : w });
    });
    return el("p", { class: "source", "aria-label": t("source.label") }, words);
  }

  E.render = function (data) {
    D = data;
    E.data = data;
    if (E.step !== null && E.step >= D.steps.length) E.step = null;
    const parts = [header(), source(), steps()];
    if (D.beam_steps.length > 0) parts.push(beam());
    parts.push(attention());
    root.replaceChildren(...parts);
    E.highlight();
    root.setAttribute("data-ready", "1");
  };
  E.selectStep = function (i) { E.step = i; E.highlight(); if (E.onStep) E.onStep(i); };
  E.step = null;
  E.render(JSON.parse(document.getElementById("encdec-data").textContent));
})();
