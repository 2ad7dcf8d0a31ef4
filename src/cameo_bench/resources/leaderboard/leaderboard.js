// CAMEO leaderboard: renders the JSON in #board-data. Data is only ever inserted with
// textContent / setAttribute on created elements, never parsed as HTML.
//
// Every view has a URL: the state lives in the hash (#system=KEY&tab=dataset&sort=...), so a
// detail view can be linked and survives a reload. Rows come ranked and grouped by collection
// (the clips they were scored on) from cameo-bench; sorting never mixes collections, and the
// chance and majority references sit at their own value in whatever column is sorted.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("board-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const RANK_KEY = DATA.rank_metric.join("|");
  const TABS = [["overall", "Overall"]].concat(DATA.views.map((v) => [v[1], v[0]]));
  const ROWS = new Map(DATA.rows.map((r) => [r.key, r]));
  const COLLECTIONS = new Map(DATA.collections.map((c) => [c.id, c]));
  const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  const $ = (id) => document.getElementById(id);
  const FILTERS = ["collection", "status", "family", "language", "dataset"];
  let state = {};

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
  // 0.316 ± 0.0420, as cameo-bench prints it (leaderboard.rows.format_cell)
  function fmt(c) {
    if (!c || c[0] === null) return "–";
    if (c[1] === null || c[2] === null) return c[0].toFixed(3);
    return c[0].toFixed(3) + " ± " + ((c[2] - c[1]) / 2).toFixed(4);
  }
  function chanceOf(collection) {
    return DATA.rows.find((r) => r.status === "reference" && r.name === "chance"
      && r.collection === collection) || null;
  }

  // --- state <-> URL hash ---------------------------------------------------------------
  function optionValues(id) { return [...$(id).options].map((o) => o.value); }
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    const tab = p.get("tab") || "overall";
    const s = {
      tab: TABS.some((t) => t[0] === tab) ? tab : "overall",
      system: ROWS.has(p.get("system")) ? p.get("system") : "",
      missing: p.get("system") && !ROWS.has(p.get("system")) ? p.get("system") : "",
      sort: p.get("sort") || "",
      dir: p.get("dir") === "asc" ? 1 : -1,
      q: p.get("q") || "",
    };
    for (const id of FILTERS) {
      const v = p.get(id) || "";
      s[id] = optionValues(id).includes(v) ? v : "";
    }
    if (s.language) s.dataset = "";
    return s;
  }
  function hashOf(s) {
    const p = new URLSearchParams();
    if (s.system) p.set("system", s.system);
    if (s.tab !== "overall") p.set("tab", s.tab);
    if (s.sort) { p.set("sort", s.sort); p.set("dir", s.dir > 0 ? "asc" : "desc"); }
    if (s.q) p.set("q", s.q);
    for (const id of FILTERS) if (s[id]) p.set(id, s[id]);
    return p.toString();
  }
  // push: a new history entry (tabs, details); otherwise the current one is replaced (typing)
  function go(changes, push) {
    const next = Object.assign({}, state, changes, { missing: "" });
    const hash = hashOf(next);
    if (hash === location.hash.slice(1)) { state = next; render(); return; }
    if (push) location.hash = hash;
    else location.replace("#" + hash);
  }

  // --- the table ----------------------------------------------------------------------------
  // columns: {id, title, cls, get(row) -> sort value, show(td, row)}
  function columns() {
    const text = (id, title, get) => ({ id, title, cls: "text", get,
      show: (td, r) => { td.textContent = get(r); } });
    const cols = [
      { id: "rank", title: "#", cls: "rank", get: (r) => r.rank,
        show: (td, r) => { td.textContent = r.rank === null ? "" : r.rank; } },
      { id: "name", title: "System", cls: "text system", get: (r) => r.name, show: showName },
      { id: "status", title: "Status", cls: "text", get: (r) => r.status,
        show: (td, r) => td.appendChild(el("span", { class: "badge " + r.status }, r.status)) },
      { id: "coverage", title: "Clips", cls: "text", get: (r) => r.coverage.clips, show: showCoverage },
      text("family", "Family", (r) => r.family),
      { id: "temperature", title: "T", get: (r) => r.temperature,
        show: (td, r) => { td.textContent = r.temperature === null ? "" : String(r.temperature); } },
      text("prompt", "Prompt", (r) => r.prompt_id || ""),
    ];
    const scope = state.language ? ["language", state.language]
      : state.dataset ? ["dataset", state.dataset] : ["overall", "all"];
    const number = (id, title, s, g, m) => ({
      id, title, cls: "num", key: s + "|" + g + "|" + m,
      get: (r) => { const c = cell(r, s, g, m); return c ? c[0] : null; },
      show: (td, r) => showNumber(td, r, s, g, m),
    });
    if (state.tab === "overall") {
      for (const [metric, title] of DATA.metrics) {
        const label = scope[0] === "overall" ? title : title + " (" + scope[1] + ")";
        cols.push(number("m:" + metric, label, scope[0], scope[1], metric));
      }
    } else {
      const [, viewScope, metric] = DATA.views.find((v) => v[1] === state.tab);
      const only = viewScope === "language" ? state.language : viewScope === "dataset" ? state.dataset : "";
      for (const group of DATA.groups[viewScope]) {
        if (!only || group === only) cols.push(number("g:" + group, group, viewScope, group, metric));
      }
    }
    return cols;
  }
  function showName(td, r) {
    if (r.status === "reference") {
      td.appendChild(el("span", { class: "ref-name" }, r.name));
      td.appendChild(el("span", { class: "ref-note" }, " reference"));
      return;
    }
    const b = el("button", { type: "button", class: "open" }, r.name);
    b.addEventListener("click", () => go({ system: r.key }, true));
    td.appendChild(b);
  }
  function showCoverage(td, r) {
    const c = COLLECTIONS.get(r.collection);
    td.setAttribute("title", c.title + (c.corpora.length ? ": " + c.corpora.join(", ") : ""));
    if (r.coverage.full) {
      td.textContent = r.coverage.clips.toLocaleString("en-US");
      return;
    }
    td.appendChild(el("span", { class: "partial-mark" }, "subset"));
    td.appendChild(document.createTextNode(" " + r.coverage.clips.toLocaleString("en-US") + " · "
      + Object.keys(r.coverage.per_dataset).length + "/13 corpora"));
  }
  function showNumber(td, r, s, g, m) {
    const c = cell(r, s, g, m);
    td.textContent = fmt(c);
    const chance = r.status === "reference" ? null : chanceOf(r.collection);
    const floor = chance ? cell(chance, s, g, m) : null;
    if (c && floor && c[0] < floor[0]) {
      td.classList.add("below-chance");
      td.setAttribute("title", "below chance (" + floor[0].toFixed(3) + ")");
    }
  }

  function visibleRows(cols) {
    const q = state.q.trim().toLowerCase();
    const keep = (r) => r.status === "reference" || (
      (!q || (r.name + " " + (r.model || "")).toLowerCase().includes(q))
      && (!state.status || r.status === state.status) && (!state.family || r.family === state.family));
    const col = cols.find((c) => c.id === state.sort);
    const sections = [];
    for (const coll of DATA.collections) {
      if (state.collection && coll.id !== state.collection) continue;
      const rows = DATA.rows.filter((r) => r.collection === coll.id && keep(r));
      if (!rows.some((r) => r.status !== "reference")) continue;
      if (col) sortRows(rows, col);
      sections.push([coll, rows]);
    }
    return sections;
  }
  function sortRows(rows, col) {
    const missing = (v) => v === null || v === undefined;
    const textual = col.cls.includes("text") && col.id !== "coverage";
    rows.sort((a, b) => {
      // references are lines at their value; in a text column they go last
      if (textual && (a.status === "reference") !== (b.status === "reference")) {
        return a.status === "reference" ? 1 : -1;
      }
      const x = col.get(a), y = col.get(b);
      if (missing(x)) return missing(y) ? 0 : 1;
      if (missing(y)) return -1;
      const order = typeof x === "string" ? natural.compare(x, y) : (x < y ? -1 : x > y ? 1 : 0);
      return order * state.dir;
    });
  }

  function renderTable() {
    const cols = columns();
    const table = $("board");
    for (const body of [...table.tBodies]) body.remove();
    const head = table.tHead;
    head.replaceChildren();
    const tr = el("tr");
    for (const c of cols) {
      const th = el("th", { scope: "col", "data-col": c.id, class: c.cls }, c.title);
      if (c.id === state.sort) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      else if (!state.sort && c.key === RANK_KEY) th.setAttribute("aria-sort", "descending");
      th.addEventListener("click", () => {
        // first click: names and ranks ascending, numbers highest first; again: reversed
        // (unsorted, the board is ranked by macro-F1, highest first: its column is the sort)
        const first = c.cls.includes("text") || c.id === "rank" ? 1 : -1;
        const current = state.sort || (c.key === RANK_KEY ? c.id : "");
        go({ sort: c.id, dir: current === c.id ? -state.dir : first }, false);
      });
      tr.appendChild(th);
    }
    head.appendChild(tr);
    const sections = visibleRows(cols);
    for (const [coll, rows] of sections) {
      const body = el("tbody", { "data-collection": coll.id, class: coll.full ? "full" : "partial" });
      const caption = el("tr", { class: "collection-head" });
      const th = el("th", { colspan: cols.length, class: "text" });
      const label = el("span", { class: "collection-label" });
      label.appendChild(el("strong", {}, coll.title + " "));
      if (!coll.full) {
        label.appendChild(el("span", { class: "partial-mark" }, "subset"));
        label.appendChild(document.createTextNode(" not the full collection: ranked only within this "
          + "section, never against the paper's numbers · " + coll.corpora.join(", ")
          + " · clips " + coll.fingerprint.slice(0, 19) + "…"));
      } else {
        label.appendChild(document.createTextNode("· the paper's collection: every corpus at its Table 1 count"));
      }
      th.appendChild(label);
      caption.appendChild(th);
      body.appendChild(caption);
      for (const r of rows) {
        const row = el("tr", { class: "row " + r.status, "data-key": r.key });
        if (r.key === state.system) row.classList.add("selected");
        for (const c of cols) {
          const td = el("td", { class: c.cls, "data-col": c.id });
          c.show(td, r);
          row.appendChild(td);
        }
        body.appendChild(row);
      }
      table.appendChild(body);
    }
    $("empty").hidden = sections.length > 0;
    // the rank and system columns stay put while the rest scrolls: the system column's offset
    // is the rank column's width
    const rankCell = table.querySelector("th.rank");
    const offset = rankCell ? rankCell.getBoundingClientRect().width : 0;
    for (const node of table.querySelectorAll(".system")) node.style.left = offset + "px";
  }

  function renderTabs() {
    $("tabs").replaceChildren();
    for (const [id, title] of TABS) {
      const b = el("button", { type: "button", role: "tab", "data-view": id,
        "aria-selected": state.tab === id }, title);
      b.addEventListener("click", () => go({ tab: id, sort: "" }, true));
      $("tabs").appendChild(b);
    }
  }

  function fillSelect(id, values) {
    for (const v of values) $(id).appendChild(el("option", { value: v }, v));
  }

  // --- detail view --------------------------------------------------------------------------
  // horizontal bars on a 0-1 axis: whiskers for the 95% interval, a red tick at chance for
  // each group, values in their own column right of the axis (never under a whisker)
  function bars(title, row, scope, metric) {
    const groups = DATA.groups[scope].filter((g) => cell(row, scope, g, metric));
    if (!groups.length) return null;
    const chance = chanceOf(row.collection);
    const lh = 22, left = 150, plot = 400, top = 24, w = left + plot + 70;
    const h = top + groups.length * lh + 34;
    const x = (v) => left + Math.max(0, Math.min(1, v)) * plot;
    const box = el("div", { class: "plot", "data-scope": scope });
    box.appendChild(el("h3", {}, title));
    const s = svg("svg", { width: w, height: h, viewBox: "0 0 " + w + " " + h, role: "img" });
    const bottom = top + groups.length * lh;
    for (let t = 0; t <= 10; t += 2) {
      const v = t / 10, gx = x(v);
      s.appendChild(svg("line", { x1: gx, x2: gx, y1: top, y2: bottom, stroke: "#e3e3e3", class: "grid" }));
      s.appendChild(svg("line", { x1: gx, x2: gx, y1: bottom, y2: bottom + 4, stroke: "#555" }));
      s.appendChild(svg("text", { x: gx, y: bottom + 16, "text-anchor": "middle", "font-size": 11,
        class: "tick" }, v.toFixed(1)));
    }
    s.appendChild(svg("line", { x1: left, x2: left + plot, y1: bottom, y2: bottom, stroke: "#555", class: "axis" }));
    s.appendChild(svg("text", { x: left + plot / 2, y: bottom + 30, "text-anchor": "middle",
      "font-size": 11 }, metric === "f1" ? "F1" : "macro-F1"));
    // legend
    s.appendChild(svg("line", { x1: left, x2: left + 14, y1: 9, y2: 9, stroke: "#222" }));
    s.appendChild(svg("text", { x: left + 18, y: 13, "font-size": 11 }, "95% interval"));
    if (chance) {
      s.appendChild(svg("line", { x1: left + 110, x2: left + 110, y1: 3, y2: 15, stroke: "#c62828", "stroke-width": 2 }));
      s.appendChild(svg("text", { x: left + 116, y: 13, "font-size": 11 }, "chance"));
    }
    groups.forEach((g, i) => {
      const c = cell(row, scope, g, metric), y = top + i * lh;
      const bar = svg("g", { class: "bar", "data-group": g });
      bar.appendChild(svg("text", { x: left - 6, y: y + 15, "text-anchor": "end", "font-size": 12 }, g));
      bar.appendChild(svg("rect", { x: left, y: y + 4, width: x(c[0]) - left, height: lh - 8, fill: "#6c8ed8" }));
      if (c[1] !== null && c[2] !== null) {
        const lo = x(Math.min(c[1], c[0])), hi = x(Math.max(c[2], c[0]));
        bar.appendChild(svg("line", { x1: lo, x2: hi, y1: y + 11, y2: y + 11, stroke: "#222", class: "whisker" }));
        for (const end of [lo, hi]) {
          bar.appendChild(svg("line", { x1: end, x2: end, y1: y + 7, y2: y + 15, stroke: "#222" }));
        }
      }
      const floor = chance ? cell(chance, scope, g, metric) : null;
      if (floor) {
        bar.appendChild(svg("line", { x1: x(floor[0]), x2: x(floor[0]), y1: y + 1, y2: y + lh - 1,
          stroke: "#c62828", "stroke-width": 2, class: "chance" }));
      }
      bar.appendChild(svg("text", { x: left + plot + 8, y: y + 15, "font-size": 11, class: "value" }, c[0].toFixed(3)));
      s.appendChild(bar);
    });
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

  function renderDetail(scroll) {
    $("missing").hidden = !state.missing;
    $("missing").textContent = state.missing ? "No system " + JSON.stringify(state.missing) + " on this board." : "";
    const row = state.system ? ROWS.get(state.system) : null;
    $("detail").hidden = !row;
    if (!row) return;
    $("detail-title").textContent = row.name + (row.temperature === null ? "" : " (T=" + row.temperature + ", " + row.prompt_id + ")");
    const facts = $("detail-facts");
    facts.replaceChildren();
    const fact = (k, v) => { if (v !== null && v !== undefined && v !== "") { facts.appendChild(el("dt", {}, k)); facts.appendChild(el("dd", {}, v)); } };
    const coll = COLLECTIONS.get(row.collection);
    fact("status", row.status);
    fact("rank", row.rank === null ? "" : row.rank + " in " + coll.title.toLowerCase());
    fact("model", row.model);
    fact("model id", row.model_id);
    fact("family", row.family);
    fact("submitter", row.submitter);
    fact("description", row.description);
    fact("submission", row.submission);
    if (row.scorer) fact("scorer", row.scorer.parser + ", " + row.scorer.n_resamples + " resamples, seed " + row.scorer.seed);
    fact("clips", (row.coverage.full ? "full collection: " : "subset: ") + row.coverage.clips.toLocaleString("en-US")
      + " clips of " + Object.keys(row.coverage.per_dataset).length + " of 13 corpora");
    fact("corpora", Object.entries(row.coverage.per_dataset)
      .sort((a, b) => natural.compare(a[0], b[0]))
      .map(([name, n]) => name + " " + n.toLocaleString("en-US")).join(", "));
    fact("clips fingerprint", row.coverage.fingerprint || "as published (the paper's Table 1 counts)");
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
    if (scroll) $("detail").scrollIntoView();
  }

  function render(scroll) {
    $("search").value = state.q;
    for (const id of FILTERS) $(id).value = state[id];
    renderTabs();
    renderTable();
    renderDetail(scroll);
  }

  fillSelect("family", [...new Set(DATA.rows.filter((r) => r.status !== "reference").map((r) => r.family))].sort(natural.compare));
  fillSelect("language", DATA.groups.language);
  fillSelect("dataset", DATA.groups.dataset);
  for (const c of DATA.collections) $("collection").appendChild(el("option", { value: c.id }, c.title));
  $("language").addEventListener("change", () => go({ language: $("language").value, dataset: "" }, false));
  $("dataset").addEventListener("change", () => go({ dataset: $("dataset").value, language: "" }, false));
  $("search").addEventListener("input", () => go({ q: $("search").value }, false));
  for (const id of ["collection", "status", "family"]) {
    $(id).addEventListener("change", () => go({ [id]: $(id).value }, false));
  }
  $("close-detail").addEventListener("click", () => go({ system: "" }, true));
  window.addEventListener("hashchange", () => {
    const opened = readHash();
    const scroll = opened.system && opened.system !== state.system;
    state = opened;
    render(scroll);
  });
  $("generator").textContent = "Generated by " + DATA.generator;
  state = readHash();
  render(Boolean(state.system));
})();
