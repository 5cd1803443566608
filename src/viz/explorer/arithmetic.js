// encdec playground: the arithmetic of one attention weight. Clicking a cell
// (i, j) of any matrix asks the module for every number of row i
// (src/seq2seq/decode/arithmetic.rs: the query, each key and value of the
// head, the scores, the division by √d_k, the softmax, the output) and lays
// it out under the formulas of docs/formulas.md, typeset by KaTeX (inline
// in the page). Elements the browser test reads carry data-field and the
// number at full precision in data-value.
"use strict";
(function () {
  const E = window.encdec, t = E.t, el = E.el;
  // Blue below 0, orange above (Okabe–Ito), white at 0; |x| / `scale` sets the depth.
  function signed(x, scale) {
    const f = Math.min(Math.abs(x) / (scale || 1), 1);
    const [r, g, b] = x < 0 ? [0, 114, 178] : [230, 159, 0];
    const mix = (c) => Math.round(255 + (c - 255) * f);
    return "rgb(" + mix(r) + "," + mix(g) + "," + mix(b) + ")";
  }
  const maxAbs = (v) => Math.max(1e-12, ...v.map(Math.abs));
  // A vector as a strip of coloured cells, each with its value.
  function strip(name, v, field, scale) {
    const s = scale || maxAbs(v);
    return el("div", { class: "strip", "data-field": field }, [el("span", { class: "strip-name", text: name }),
      ...v.map((x) => el("span", { class: "strip-cell", style: "background:" + signed(x, s), "data-value": x, title: String(x), text: x.toFixed(2) }))]);
  }
  function number(field, x, digits) {
    return el("span", { class: "num", "data-field": field, "data-value": x, text: x.toFixed(digits === undefined ? 4 : digits) });
  }
  function formula(f) {
    const box = el("div", { class: "formula", "data-formula": f.name });
    if (window.katex) window.katex.render(f.latex, box, { displayMode: true, throwOnError: false });
    else box.textContent = f.latex;
    return el("div", { class: "formula-row" }, [box, el("span", { class: "section", text: f.section })]);
  }
  function scoreStep(A, j) {
    const q = A.query.vector, k = A.keys[j].key, prod = q.map((x, n) => x * k[n]);
    const scale = Math.max(maxAbs(q), maxAbs(k));
    return el("div", { class: "arith-step" }, [el("h4", { text: t("arith.score", A.query.label, A.keys[j].label) }),
      strip("q_" + (A.row + 1), q, "query", scale), strip("k_" + (j + 1), k, "key", scale), strip("q∘k", prod, "products"),
      el("p", {}, [document.createTextNode(t("arith.sum") + " s = "), number("score", A.keys[j].score)])]);
  }
  function scaleStep(A, j) {
    const key = A.keys[j];
    const text = A.score.kind === "scaled dot product"
      ? [document.createTextNode("s / √d_k = " + key.score.toFixed(4) + " / √" + A.score.d_k + " = " + key.score.toFixed(4) + " / "), number("divisor", A.score.divisor), document.createTextNode(" = "), number("scaled", key.scaled)]
      : [document.createTextNode(t("arith.unscaled") + " "), number("scaled", key.scaled)];
    return el("div", { class: "arith-step" }, [el("h4", { text: A.score.kind === "scaled dot product" ? t("arith.scale") : t("arith.noscale") }), el("p", {}, text)]);
  }
  function softmaxStep(A, j) {
    const rows = A.keys.map((k, n) => el("tr", { class: n === j ? "picked" : "", "data-key": n }, [
      el("td", { text: k.label }),
      el("td", {}, [k.masked ? el("span", { text: t("arith.masked") }) : number("row-score", k.score)]),
      el("td", {}, [k.masked ? el("span", { text: "−∞" }) : number("row-scaled", k.scaled)]),
      el("td", {}, [el("span", { class: "bar" }, [el("span", { style: "width:" + (100 * k.weight).toFixed(1) + "%" })]), number(n === j ? "weight" : "row-weight", k.weight)])]));
    return el("div", { class: "arith-step" }, [el("h4", { text: t("arith.softmax") }),
      el("table", { class: "softmax" }, [el("tr", {}, ["arith.key", "arith.s", "arith.scaled", "arith.a"].map((h) => el("th", { text: t(h) }))), ...rows])]);
  }
  function outputStep(A) {
    const scale = Math.max(...A.keys.map((k) => maxAbs(k.value)));
    const parts = A.keys.filter((k) => !k.masked).map((k, n) => el("div", { class: "weighted", style: "opacity:" + (0.25 + 0.75 * k.weight).toFixed(2) }, [
      el("span", { class: "times", text: k.weight.toFixed(3) + " ×" }), strip("v_" + (n + 1) + " " + k.label, k.value, "value", scale)]));
    return el("div", { class: "arith-step" }, [el("h4", { text: t("arith.output") }), ...parts, strip("z_" + (A.row + 1), A.output, "output", scale)]);
  }
  E.openCell = function (map, h, i, j) {
    let A;
    try {
      A = E.call({ op: "arithmetic", kind: map.kind, layer: map.layer, head: h + 1, row: i });
    } catch (e) {
      return;
    }
    const panel = el("section", { id: "arithmetic", "data-kind": map.kind, "data-layer": map.layer, "data-head": h + 1, "data-i": i, "data-j": j }, [
      el("div", { class: "live-head" }, [el("h3", { text: t("arith.title", t("kind." + map.kind), map.layer, h + 1, A.section) }), closeButton()]),
      el("p", { class: "note", text: t(A.score.kind === "scaled dot product" ? "arith.note" : "arith.note.lstm") }),
      ...A.formulas.map(formula), scoreStep(A, j), scaleStep(A, j), softmaxStep(A, j), outputStep(A)]);
    const old = document.getElementById("arithmetic");
    const figure = document.querySelector('figure.matrix[data-kind="' + map.kind + '"][data-layer="' + map.layer + '"][data-head="' + (h + 1) + '"]');
    if (old) old.remove();
    const layer = figure ? figure.closest(".layer") : null;
    if (layer) layer.after(panel); else document.getElementById("encdec-explorer").appendChild(panel);
    if (panel.scrollIntoView) panel.scrollIntoView({ block: "nearest" });
  };
  function closeButton() {
    const b = el("button", { type: "button", text: "×", "aria-label": t("arith.close") });
    b.addEventListener("click", () => b.closest("#arithmetic").remove());
    return b;
  }
})();
