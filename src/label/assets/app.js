// SPDX-License-Identifier: MIT
// judge label's page: one notebook at a time, the rubric's dimensions beside it, every label saved to the
// server at once (PUT /api/label), keyboard first. No library, no network beyond the judge server.
"use strict";

const state = {
  session: null,     // GET /api/session
  notebooks: [],     // GET /api/notebooks
  queue: [],         // GET /api/queue
  name: null,        // the notebook shown
  view: null,        // GET /api/notebook
  dim: 0,            // index of the current dimension
  drafts: {},        // notebook -> dimension -> {score, feedback, version, dirty}
};

const $ = (sel, root = document) => root.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function status(text, error = false) {
  const el = $("#status");
  el.textContent = text;
  el.className = error ? "error" : "";
}

async function api(path, options = {}) {
  const res = await fetch(path, options);
  let body = null;
  try { body = await res.json(); } catch (e) { body = { error: `${res.status} ${res.statusText}` }; }
  return { ok: res.ok, status: res.status, body };
}

// --- text -------------------------------------------------------------------------------------------------

// "cell 12", "cells 3 and 4", "cells 2-5": links to the cells, so a rationale's citation opens what it cites.
function linkCells(html) {
  return html.replace(/\b([Cc]ells?)((?:\s*(?:,|and|or|-|–)?\s*\d+)+)/g, (all, word, nums) =>
    word + nums.replace(/\d+/g, (n) => `<a href="#cell-${n}" data-cell="${n}">${n}</a>`));
}

function inline(text) {
  let s = esc(text);
  s = s.replace(/`([^`]+)`/g, "<code>$1</code>");
  s = s.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>").replace(/__([^_]+)__/g, "<strong>$1</strong>");
  s = s.replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>");
  s = s.replace(/!\[([^\]]*)\]\([^)]*\)/g, "[image: $1]");
  s = s.replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" rel="noreferrer" target="_blank">$1</a>');
  return s;
}

// A small Markdown renderer: headings, fenced code, lists, quotes, paragraphs, inline code/bold/italic/links.
// Everything is escaped first; raw HTML in a cell shows as text.
function markdown(src) {
  const out = [];
  const lines = String(src).split("\n");
  let para = [], list = null;
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join(" "))}</p>`);
    para = [];
    if (list) out.push(`</${list}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m;
    if (/^\s*```/.test(line)) {
      flush();
      const code = [];
      while (++i < lines.length && !/^\s*```/.test(lines[i])) code.push(lines[i]);
      out.push(`<pre>${esc(code.join("\n"))}</pre>`);
    } else if ((m = line.match(/^(#{1,6})\s+(.*)$/))) {
      flush();
      out.push(`<h${m[1].length}>${inline(m[2])}</h${m[1].length}>`);
    } else if ((m = line.match(/^\s*([-*+]|\d+[.)])\s+(.*)$/))) {
      if (para.length) { out.push(`<p>${inline(para.join(" "))}</p>`); para = []; }
      const kind = /\d/.test(m[1]) ? "ol" : "ul";
      if (list !== kind) { if (list) out.push(`</${list}>`); out.push(`<${kind}>`); list = kind; }
      out.push(`<li>${inline(m[2])}</li>`);
    } else if ((m = line.match(/^>\s?(.*)$/))) {
      flush();
      out.push(`<blockquote>${inline(m[1])}</blockquote>`);
    } else if (!line.trim()) {
      flush();
    } else {
      if (list) { out.push(`</${list}>`); list = null; }
      para.push(line.trim());
    }
  }
  flush();
  return out.join("\n");
}

function codeLines(src) {
  return `<pre class="code">${String(src).split("\n").map((l) => `<span class="l">${esc(l) || " "}</span>`).join("")}</pre>`;
}

const scoreText = (s) => (s === null || s === undefined ? "N/A" : String(+s.toFixed(2)));

// --- rendering --------------------------------------------------------------------------------------------

function renderNotebookList() {
  const ul = $("#notebooks");
  ul.innerHTML = "";
  for (const nb of state.notebooks) {
    const li = document.createElement("li");
    li.dataset.name = nb.name;
    li.className = (nb.name === state.name ? "current " : "") + (nb.readable ? "" : "unreadable");
    li.innerHTML = `${esc(nb.name)} <span class="count">${nb.readable ? `${nb.labelled}/${nb.dimensions}` : "unreadable"}</span>`;
    li.onclick = () => openNotebook(nb.name);
    ul.appendChild(li);
  }
}

function renderQueue() {
  const ol = $("#queue");
  ol.innerHTML = "";
  if (!state.queue.length) ol.innerHTML = '<li class="muted">nothing left: every dimension of every notebook has a label</li>';
  for (const q of state.queue) {
    const li = document.createElement("li");
    li.innerHTML = `${esc(q.notebook)} · <strong>${esc(q.dimension)}</strong><span class="reason">${esc(q.reason)}</span>`;
    li.onclick = () => openNotebook(q.notebook, q.dimension);
    ol.appendChild(li);
  }
}

function renderCells(view) {
  const sec = $("#notebook");
  if (view.error) {
    sec.innerHTML = `<h2>${esc(view.name)}</h2><p class="message">This notebook cannot be read: ${esc(view.error)}</p>`;
    return;
  }
  const parts = [`<h2>${esc(view.name)}</h2><p class="muted">${esc(view.format)}${view.language ? ", " + esc(view.language) : ""}, ${view.cells.length} cells</p>`];
  for (const c of view.cells) {
    const head = `cell ${c.number} · ${esc(c.type)}${c.magic ? " %" + esc(c.magic) : ""}${c.title ? " · " + esc(c.title) : ""}`;
    let body = c.type === "markdown" ? `<div class="body">${markdown(c.source)}</div>` : codeLines(c.source);
    for (const o of c.outputs || []) {
      const img = o.image ? `<img alt="output of cell ${c.number}" src="${o.image}">` : "";
      const text = o.image ? o.text.replace(/\[image\/(png|jpeg) output[^\]]*\]\n?/g, "") : o.text;
      body += `<div class="output ${o.kind === "error" ? "error" : ""}">${img}${text.trim() ? `<pre>${esc(text)}</pre>` : ""}</div>`;
    }
    const inj = (c.injection || []).map((w) => `<div class="injection">possible prompt injection: ${esc(w)}</div>`).join("");
    parts.push(`<div class="cell ${esc(c.type)}" id="cell-${c.number}"><div class="head">${head}</div>${inj}${body}</div>`);
  }
  sec.innerHTML = parts.join("\n");
}

function draftOf(dim) {
  const byNb = (state.drafts[state.name] ||= {});
  if (!byNb[dim]) {
    const l = state.view?.labels?.[dim];
    byNb[dim] = l ? { score: l.score, set: true, feedback: l.feedback, version: l.version, dirty: false, saved: l.timestamp }
                  : { score: null, set: false, feedback: "", version: "", dirty: false, saved: "" };
  }
  return byNb[dim];
}

function savedText(d) {
  if (d.error) return ["error", d.error];
  if (d.dirty) return ["dirty", "unsaved"];
  if (d.saved) return ["", "saved " + d.saved];
  return ["", ""];
}

function renderDimensions() {
  const aside = $("#dimensions");
  const s = state.session;
  if (!state.view || state.view.error) { aside.innerHTML = ""; return; }
  const parts = [];
  s.rubric.dimensions.forEach((d, i) => {
    const draft = draftOf(d.id);
    const levels = d.levels.map((l) => `<li><strong>${l.score}</strong>: ${esc(l.description)}</li>`).join("") +
      (s.rubric.allows_na && d.not_applicable ? `<li><strong>N/A</strong>: ${esc(d.not_applicable)}</li>` : "");
    const verdicts = (state.view.verdicts[d.id] || []).map((v) =>
      `<div class="verdict"><strong>${esc(v.judge)}</strong>: ${v.status === "unscored" ? "unscored" : scoreText(v.score)}` +
      `${v.spread !== undefined ? ` (spread ${scoreText(v.spread)})` : ""} — ${linkCells(esc(v.rationale))}</div>`).join("");
    const episodes = (state.view.episodes[d.id] || []).map((e) =>
      `<div class="episode">similar: <strong>${esc(e.notebook)}</strong> (similarity ${e.similarity.toFixed(2)}), human ${scoreText(e.human_score)} — ${esc(e.feedback)}</div>`).join("");
    const others = (state.view.other_labels[d.id] || []).map((l) =>
      `<div class="other">${esc(l.rater || "(no rater)")}: ${scoreText(l.score)} — ${esc(l.feedback)}</div>`).join("");
    const buttons = [];
    for (const p of s.rubric.scale) buttons.push(`<button type="button" data-score="${p.score}" class="${draft.set && draft.score === p.score ? "on" : ""}" title="${esc(p.name)}">${p.score}</button>`);
    if (s.rubric.allows_na) buttons.push(`<button type="button" data-score="na" class="${draft.set && draft.score === null ? "on" : ""}">N/A</button>`);
    const [cls, txt] = savedText(draft);
    parts.push(`<div class="dim ${i === state.dim ? "current" : ""}" data-dimension="${esc(d.id)}" data-index="${i}">
      <h3>${esc(d.title || d.id)} <span class="saved ${cls}">${esc(txt)}</span></h3>
      <details><summary>levels</summary><ul>${levels}</ul></details>
      ${verdicts}${episodes}${others}
      <div class="scores">${buttons.join("")}</div>
      <textarea data-dimension="${esc(d.id)}" placeholder="feedback: why this score (Tab to get here, Ctrl+Enter to save)">${esc(draft.feedback)}</textarea>
      <div class="message"></div>
    </div>`);
  });
  aside.innerHTML = parts.join("\n");
  aside.querySelectorAll(".dim").forEach((el) => {
    const dim = el.dataset.dimension;
    el.addEventListener("click", () => selectDim(+el.dataset.index, false));
    el.querySelectorAll("button[data-score]").forEach((b) => b.addEventListener("click", () =>
      setScore(dim, b.dataset.score === "na" ? null : +b.dataset.score)));
    const ta = el.querySelector("textarea");
    ta.addEventListener("input", () => { const d = draftOf(dim); d.feedback = ta.value; d.dirty = true; mark(dim); });
    ta.addEventListener("focus", () => selectDim(+el.dataset.index, false));
  });
}

function mark(dim) {
  const el = $(`.dim[data-dimension="${CSS.escape(dim)}"]`);
  if (!el) return;
  const d = draftOf(dim);
  const [cls, txt] = savedText(d);
  const span = $(".saved", el);
  span.className = "saved " + cls;
  span.textContent = txt;
  el.querySelectorAll("button[data-score]").forEach((b) => {
    const v = b.dataset.score === "na" ? null : +b.dataset.score;
    b.classList.toggle("on", d.set && d.score === v);
  });
}

function selectDim(i, scroll = true) {
  const dims = state.session.rubric.dimensions;
  state.dim = Math.max(0, Math.min(dims.length - 1, i));
  document.querySelectorAll(".dim").forEach((el) => el.classList.toggle("current", +el.dataset.index === state.dim));
  const el = $(`.dim[data-index="${state.dim}"]`);
  if (el && scroll) el.scrollIntoView({ block: "nearest" });
}

function setScore(dim, score) {
  const d = draftOf(dim);
  d.score = score;
  d.set = true;
  d.dirty = true;
  d.error = "";
  mark(dim);
}

// --- actions ----------------------------------------------------------------------------------------------

async function save(dim) {
  const d = draftOf(dim);
  const el = $(`.dim[data-dimension="${CSS.escape(dim)}"]`);
  const message = el ? $(".message", el) : null;
  if (!d.set) {
    if (message) message.textContent = "choose a score first (a digit, or N for N/A)";
    return false;
  }
  const name = state.name;
  const r = await api("/api/label", {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ notebook: name, dimension: dim, score: d.score, feedback: d.feedback, version: d.version }),
  });
  if (r.ok) {
    Object.assign(d, { version: r.body.label.version, saved: r.body.label.timestamp, dirty: false, error: "" });
    if (message) message.textContent = "";
    status(`saved ${dim} of ${name}`);
    refreshLists();
  } else {
    d.error = "not saved";
    if (r.body.status === "stale") {
      const l = r.body.label;
      Object.assign(d, l ? { score: l.score, set: true, feedback: l.feedback, version: l.version, saved: l.timestamp }
                          : { score: null, set: false, feedback: "", version: "", saved: "" }, { dirty: false });
      if (el) $("textarea", el).value = d.feedback;
    }
    if (message) message.textContent = r.body.error;
    status(r.body.error, true);
  }
  mark(dim);
  return r.ok;
}

async function refreshLists() {
  const [nbs, q] = await Promise.all([api("/api/notebooks"), api("/api/queue?n=5")]);
  if (nbs.ok) state.notebooks = nbs.body;
  if (q.ok) state.queue = q.body.items;
  renderNotebookList();
  renderQueue();
}

async function openNotebook(name, dimension) {
  const r = await api("/api/notebook?name=" + encodeURIComponent(name));
  if (!r.ok) { status(r.body.error, true); return; }
  state.name = name;
  state.view = r.body;
  history.replaceState(null, "", "#nb=" + encodeURIComponent(name));
  renderCells(r.body);
  renderDimensions();
  renderNotebookList();
  const dims = state.session.rubric.dimensions;
  const i = dimension ? dims.findIndex((d) => d.id === dimension) : 0;
  selectDim(i < 0 ? 0 : i);
  $("#notebook").scrollTop = 0;
  document.title = `judge label · ${name}`;
}

function step(delta) {
  const list = state.notebooks;
  const i = list.findIndex((n) => n.name === state.name);
  const next = list[Math.max(0, Math.min(list.length - 1, i + delta))];
  if (next && next.name !== state.name) openNotebook(next.name);
}

// A cited cell ("cell 12" in a rationale) scrolls into view without changing the page's address.
document.addEventListener("click", (e) => {
  const a = e.target.closest && e.target.closest("a[data-cell]");
  if (!a) return;
  e.preventDefault();
  const cell = document.getElementById("cell-" + a.dataset.cell);
  if (cell) {
    cell.scrollIntoView({ block: "start" });
    document.querySelectorAll(".cell.cited").forEach((c) => c.classList.remove("cited"));
    cell.classList.add("cited");
  }
});

document.addEventListener("keydown", async (e) => {
  if (!state.session || !state.view) return;
  const dims = state.session.rubric.dimensions;
  const dim = dims[state.dim]?.id;
  const inText = e.target instanceof HTMLTextAreaElement;
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
    e.preventDefault();
    if (inText) e.target.blur();
    if (await save(dim)) selectDim(state.dim + 1);
    return;
  }
  if (inText) {
    if (e.key === "Escape") { e.preventDefault(); e.target.blur(); }
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const s = state.session.rubric;
  if (/^[0-9]$/.test(e.key) && s.scale.some((p) => p.score === +e.key)) { e.preventDefault(); setScore(dim, +e.key); }
  else if ((e.key === "n" || e.key === "N") && s.allows_na) { e.preventDefault(); setScore(dim, null); }
  else if (e.key === "Tab") {
    e.preventDefault();
    const ta = $(`.dim[data-index="${state.dim}"] textarea`);
    if (ta) { ta.focus(); ta.setSelectionRange(ta.value.length, ta.value.length); }
  }
  else if (e.key === "j" || e.key === "J") { e.preventDefault(); step(1); }
  else if (e.key === "k" || e.key === "K") { e.preventDefault(); step(-1); }
  else if (e.key === "q" || e.key === "Q") { e.preventDefault(); if (state.queue[0]) openNotebook(state.queue[0].notebook, state.queue[0].dimension); }
  else if (e.key === "ArrowDown") { e.preventDefault(); selectDim(state.dim + 1); }
  else if (e.key === "ArrowUp") { e.preventDefault(); selectDim(state.dim - 1); }
});

window.addEventListener("beforeunload", (e) => {
  const byNb = state.drafts[state.name] || {};
  if (Object.values(byNb).some((d) => d.dirty)) { e.preventDefault(); e.returnValue = ""; }
});

async function start() {
  const s = await api("/api/session");
  if (!s.ok) { status(s.body.error, true); return; }
  state.session = s.body;
  $("#who").textContent = `rater ${s.body.rater} · ${s.body.labels_file}`;
  const problems = [...s.body.warnings];
  if (problems.length) {
    const banner = $("#problems");
    banner.hidden = false;
    banner.textContent = (s.body.labels_problems.length
      ? "The labels file has problems: nothing is saved until they are fixed (then reload the page).\n" : "") + problems.join("\n");
  }
  await refreshLists();
  const m = location.hash.match(/^#nb=(.*)$/);
  const first = (m && decodeURIComponent(m[1])) || state.queue[0]?.notebook || state.notebooks[0]?.name;
  if (first) await openNotebook(first, !m && state.queue[0] ? state.queue[0].dimension : undefined);
  else $("#notebook").innerHTML = '<p class="message">No notebooks to label under the folder given.</p>';
  document.body.dataset.ready = "1";
}

start();
