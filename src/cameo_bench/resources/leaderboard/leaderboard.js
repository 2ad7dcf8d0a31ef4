// CAMEO leaderboard: renders the JSON in #board-data. Data is only ever inserted with
// textContent / setAttribute on created elements, never parsed as HTML.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("board-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const state = { view: "overall", sortKey: null, sortDir: -1 };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function cell(row, scope, group, metric) {
    const key = scope + "|" + group + "|" + metric;
    return Object.prototype.hasOwnProperty.call(row.cells, key) ? row.cells[key] : null;
  }
  function fmt(c) {
    if (!c) return "–";
    const hw = c[1] === null || c[2] === null ? null : (c[2] - c[1]) / 2;
    return c[0].toFixed(3) + (hw === null ? "" : " ± " + hw.toFixed(4));
  }

  // columns: {id, title, text, get(row) -> sort value, show(row) -> string}
  function columns() {
    const text = (id, title, get) => ({ id, title, text: true, get, show: get });
    const cols = [
      text("status", "Status", (r) => r.status),
      text("name", "System", (r) => r.name),
      text("family", "Family", (r) => r.family),
      { id: "temperature", title: "T", get: (r) => r.temperature,
        show: (r) => (r.temperature === null ? "" : String(r.temperature)) },
      text("prompt", "Prompt", (r) => r.prompt_id || ""),
    ];
    const lang = $("language").value, ds = $("dataset").value;
    const scope = lang ? ["language", lang] : ds ? ["dataset", ds] : ["overall", "all"];
    const number = (id, title, s, g, m) => ({
      id, title, get: (r) => { const c = cell(r, s, g, m); return c ? c[0] : null; },
      show: (r) => fmt(cell(r, s, g, m)),
    });
    if (state.view === "overall") {
      for (const [metric, title] of DATA.metrics) {
        const label = scope[0] === "overall" ? title : title + " (" + scope[1] + ")";
        cols.push(number("m:" + metric, label, scope[0], scope[1], metric));
      }
    } else {
      const [, viewScope, metric] = DATA.views.find((v) => v[1] === state.view);
      const only = viewScope === "language" ? lang : viewScope === "dataset" ? ds : "";
      for (const group of DATA.groups[viewScope]) {
        if (!only || group === only) cols.push(number("g:" + group, group, viewScope, group, metric));
      }
    }
    return cols;
  }

  function visibleRows() {
    const q = $("search").value.trim().toLowerCase();
    const status = $("status").value, family = $("family").value;
    const rows = DATA.rows.filter((r) => r.status !== "reference"
      && (!q || (r.name + " " + (r.model || "")).toLowerCase().includes(q))
      && (!status || r.status === status) && (!family || r.family === family));
    const col = columns().find((c) => c.id === state.sortKey);
    if (col) {
      rows.sort((a, b) => {
        const x = col.get(a), y = col.get(b);
        if (x === null || x === undefined) return (y === null || y === undefined) ? 0 : 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : x > y ? 1 : 0) * state.sortDir;
      });
    }
    return rows.concat(DATA.rows.filter((r) => r.status === "reference"));
  }

  function renderTable() {
    const cols = columns();
    const head = $("board").tHead, body = $("board").tBodies[0];
    head.replaceChildren();
    body.replaceChildren();
    const tr = el("tr");
    for (const c of cols) {
      const th = el("th", { scope: "col", "data-col": c.id }, c.title);
      if (c.text) th.className = "text";
      if (c.id === state.sortKey) th.setAttribute("aria-sort", state.sortDir > 0 ? "ascending" : "descending");
      th.addEventListener("click", () => {
        state.sortDir = state.sortKey === c.id ? -state.sortDir : (c.text ? 1 : -1);
        state.sortKey = c.id;
        renderTable();
      });
      tr.appendChild(th);
    }
    head.appendChild(tr);
    const rows = visibleRows();
    for (const r of rows) {
      const row = el("tr");
      row.className = r.status;
      row.dataset.key = r.key;
      for (const c of cols) {
        const td = el("td");
        if (c.text) td.className = "text";
        if (c.id === "status") td.appendChild(el("span", { class: "badge " + r.status }, r.status));
        else if (c.id === "name" && r.status !== "reference") {
          const b = el("button", { type: "button", class: "open" }, r.name);
          b.addEventListener("click", () => openDetail(r));
          td.appendChild(b);
        } else td.textContent = c.show(r);
        row.appendChild(td);
      }
      body.appendChild(row);
    }
    $("empty").hidden = rows.some((r) => r.status !== "reference");
  }

  function renderTabs() {
    const tabs = [["overall", "Overall"]].concat(DATA.views.map((v) => [v[1], v[0]]));
    $("tabs").replaceChildren();
    for (const [id, title] of tabs) {
      const b = el("button", { type: "button", role: "tab", "data-view": id,
        "aria-selected": state.view === id }, title);
      b.addEventListener("click", () => { state.view = id; state.sortKey = null; renderTabs(); renderTable(); });
      $("tabs").appendChild(b);
    }
  }

  function fillSelect(id, values) {
    for (const v of values) $(id).appendChild(el("option", { value: v }, v));
  }

  function bars(title, row, scope, metric) {
    const groups = DATA.groups[scope].filter((g) => cell(row, scope, g, metric));
    if (!groups.length) return null;
    const w = 520, lh = 20, left = 150, h = groups.length * lh + 24;
    const box = el("div", { class: "plot" });
    box.appendChild(el("h3", {}, title));
    const s = svg("svg", { width: w, height: h, viewBox: "0 0 " + w + " " + h, role: "img" });
    const x = (v) => left + Math.max(0, Math.min(1, v)) * (w - left - 60);
    groups.forEach((g, i) => {
      const c = cell(row, scope, g, metric), y = i * lh + 4;
      s.appendChild(svg("text", { x: left - 6, y: y + 13, "text-anchor": "end", "font-size": 12 }, g));
      s.appendChild(svg("rect", { x: left, y: y + 2, width: x(c[0]) - left, height: lh - 6, fill: "#6c8ed8" }));
      if (c[1] !== null && c[2] !== null) {
        s.appendChild(svg("line", { x1: x(c[1]), x2: x(c[2]), y1: y + 9, y2: y + 9, stroke: "#222" }));
      }
      s.appendChild(svg("text", { x: x(c[0]) + 4, y: y + 13, "font-size": 11 }, c[0].toFixed(3)));
    });
    s.appendChild(svg("line", { x1: left, x2: left, y1: 0, y2: h - 20, stroke: "#888" }));
    box.appendChild(s);
    return box;
  }

  function confusionTable(matrix) {
    const t = el("table", { class: "confusion" });
    const head = el("tr");
    head.appendChild(el("th", { class: "text" }, "gold \\ answer"));
    for (const c of matrix.classes.concat(["unparsed"])) head.appendChild(el("th", {}, c));
    t.appendChild(head);
    matrix.counts.forEach((counts, i) => {
      const tr = el("tr");
      tr.appendChild(el("th", { class: "text" }, matrix.classes[i]));
      const total = counts.reduce((a, b) => a + b, 0) || 1;
      for (const n of counts) {
        const td = el("td", {}, n);
        td.style.backgroundColor = "rgba(43, 89, 195, " + (n / total).toFixed(3) + ")";
        tr.appendChild(td);
      }
      t.appendChild(tr);
    });
    return t;
  }

  function openDetail(row) {
    $("detail-title").textContent = row.name + (row.temperature === null ? "" : " (T=" + row.temperature + ", " + row.prompt_id + ")");
    const facts = $("detail-facts");
    facts.replaceChildren();
    const fact = (k, v) => { if (v !== null && v !== undefined && v !== "") { facts.appendChild(el("dt", {}, k)); facts.appendChild(el("dd", {}, v)); } };
    fact("status", row.status);
    fact("model", row.model);
    fact("model id", row.model_id);
    fact("family", row.family);
    fact("submitter", row.submitter);
    fact("description", row.description);
    fact("submission", row.submission);
    if (row.scorer) fact("scorer", row.scorer.parser + ", " + row.scorer.n_resamples + " resamples, seed " + row.scorer.seed);
    if (row.url && /^https?:\/\//.test(row.url)) {
      facts.appendChild(el("dt", {}, "link"));
      const dd = el("dd");
      dd.appendChild(el("a", { href: row.url, rel: "noopener noreferrer nofollow" }, row.url));
      facts.appendChild(dd);
    }
    const plots = $("detail-plots");
    plots.replaceChildren();
    for (const [title, scope, metric] of DATA.views) {
      const p = bars(title, row, scope, metric);
      if (p) plots.appendChild(p);
    }
    const conf = $("detail-confusion");
    conf.replaceChildren();
    const matrices = row.confusion || [];
    if (matrices.length) {
      conf.appendChild(el("h3", {}, "Confusion matrix"));
      const pick = el("select", { id: "confusion-scope" });
      matrices.forEach((m, i) => pick.appendChild(el("option", { value: i }, m.scope)));
      const holder = el("div");
      const show = () => holder.replaceChildren(confusionTable(matrices[Number(pick.value)]));
      pick.addEventListener("change", show);
      conf.appendChild(pick);
      conf.appendChild(holder);
      show();
    } else if (row.status === "reported") {
      conf.appendChild(el("p", {}, "Reported numbers only: no predictions, so no confusion matrix."));
    }
    $("detail").hidden = false;
    $("detail").scrollIntoView();
  }

  fillSelect("family", [...new Set(DATA.rows.filter((r) => r.status !== "reference").map((r) => r.family))].sort());
  fillSelect("language", DATA.groups.language);
  fillSelect("dataset", DATA.groups.dataset);
  $("language").addEventListener("change", () => { $("dataset").value = ""; renderTable(); });
  $("dataset").addEventListener("change", () => { $("language").value = ""; renderTable(); });
  $("search").addEventListener("input", renderTable);
  for (const id of ["status", "family"]) $(id).addEventListener("change", renderTable);
  $("close-detail").addEventListener("click", () => { $("detail").hidden = true; });
  $("generator").textContent = "Generated by " + DATA.generator;
  renderTabs();
  renderTable();
})();
