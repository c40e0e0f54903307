/* Spot-check report, paper page.
 * - the tuple table: filter, sort, select (scrolls the text to the evidence and marks each field's span);
 * - review: correct / wrong per tuple, inline edits, kept in localStorage under DATA.storage_key;
 * - export: the reviewed tuples as a gold JSON file (shared/gold/README.md format) plus the verdicts.
 * Every value from the paper goes into the page through textContent / setAttribute only. */
"use strict";

(function () {
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var el = Report.el;
  var textBox = document.getElementById("text");
  var table = document.getElementById("tuples");
  var tbody = table.tBodies[0];
  var detail = document.getElementById("detail");
  /* Display preferences (not review data): one key for every paper of every run. */
  var PREFS_KEY = DATA.prefs_key;

  /* ---------------------------------------------------------------- review state */
  function signature(t) { return [t.refs, t.intervention, t.outcome, t.direction, t.start].join("|"); }
  var state = Report.load(DATA.storage_key) || {};
  state.verdicts = state.verdicts || {};
  state.edits = state.edits || {};
  state.sigs = state.sigs || {};
  state.added = state.added || [];
  /* Every tuple on the page: the extracted ones, then those the reviewer added (ids "+1", "+2", ...). */
  var all = DATA.tuples.concat(state.added);
  var byId = {};
  all.forEach(function (t) { byId[t.id] = t; });
  /* A verdict given to another tuple with the same id (the run was redone) is not carried over. */
  Object.keys(state.sigs).forEach(function (id) {
    if (!byId[id] || state.sigs[id] !== signature(byId[id])) {
      delete state.verdicts[id]; delete state.edits[id]; delete state.sigs[id];
    }
  });
  function persist(id) {
    if (id !== undefined) {
      if (state.verdicts[id] || (state.edits[id] && Object.keys(state.edits[id]).length)) state.sigs[id] = signature(byId[id]);
      else delete state.sigs[id];
    }
    state.updated = new Date().toISOString();
    Report.save(DATA.storage_key, state);
    progress();
  }

  /* The extracted value a cell shows: the paper's own words for intervention and outcome (the concept they
   * were normalised to shows under them), the model else the condition. */
  function original(t, key) {
    var v;
    if (key === "model") v = t.model || t.condition;
    else if (key === "intervention" || key === "outcome") v = t[key + "_text"] || t[key];
    else v = t[key];
    return v === undefined || v === null ? "" : String(v);
  }
  /* The value a reviewer sees for a field: their edit, else the extracted value. */
  function shown(t, key) {
    var e = state.edits[t.id];
    if (e && Object.prototype.hasOwnProperty.call(e, key)) return e[key];
    return original(t, key);
  }
  /* The small line under a cell's value: the concept of intervention / outcome, the condition under a model. */
  function secondary(t, key) {
    if (edited(t, key)) return "";
    if (key === "intervention" || key === "outcome") {
      if (!t[key] && !t[key + "_text"]) return "";
      var name = t[key] && t[key] !== t[key + "_text"] ? t[key] : "";
      return t[key + "_id"] ? (name ? name + " \u00b7 " : "") + t[key + "_id"] : "no concept id";
    }
    if (key === "model" && t.model && t.condition && t.condition !== t.model) return t.condition;
    return "";
  }
  function flagged(t, which) {
    var flags = t.flags || [];
    if (!which) return true;
    if (which === "any") return flags.length > 0;
    if (which === "no_concept") return flags.indexOf("no_intervention_id") >= 0 || flags.indexOf("no_outcome_id") >= 0;
    return flags.indexOf(which) >= 0;
  }

  /* ---------------------------------------------------------------- text segments */
  var segs = Array.prototype.slice.call(textBox.querySelectorAll("[data-o]"));
  var offs = segs.map(function (s) { return parseInt(s.getAttribute("data-o"), 10); });
  /* Offsets count code points (Python's str), JS strings count UTF-16 units: measure in code points. */
  function cpLength(str) { return /[\ud800-\udbff]/.test(str) ? Array.from(str).length : str.length; }
  var ends = segs.map(function (s, i) { return offs[i] + cpLength(s.textContent); });
  function segmentsIn(start, end) {
    var lo = 0, hi = segs.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (ends[mid] <= start) lo = mid + 1; else hi = mid; }
    var out = [];
    for (var i = lo; i < segs.length && offs[i] < end; i++) out.push(segs[i]);
    return out;
  }
  var lit = [];
  function clearHighlight() {
    lit.forEach(function (s) { s.classList.remove("ev", "fld", "fld-first"); s.removeAttribute("data-f"); });
    lit = [];
  }
  function highlight(t, stay) {
    clearHighlight();
    var first = null;
    if (t.start !== null && t.end !== null) {
      segmentsIn(t.start, t.end).forEach(function (s) { s.classList.add("ev"); lit.push(s); first = first || s; });
    }
    Object.keys(t.spans || {}).forEach(function (field) {
      var span = t.spans[field];
      segmentsIn(span[0], span[1]).forEach(function (s, i) {
        s.classList.add("fld"); s.setAttribute("data-f", field);
        if (i === 0) s.classList.add("fld-first");
        lit.push(s); first = first || s;
      });
    });
    if (first && !stay) first.scrollIntoView({ block: "center", inline: "nearest" });
    return first;
  }

  /* ---------------------------------------------------------------- table */
  var view = all.slice();
  var rows = {};
  var evRows = {};
  /* Ids longer than this may wrap at their underscores (a 9em column holds about 12 characters of the small type). */
  var LONG_ID_CHARS = 12;
  /* Fields that belong to the study rather than the tuple. */
  var STUDY_KEYS = ["refs", "first_author", "species", "model"];
  var selected = null;

  function sourceNote(t, key) {
    var keys = key === "model" ? ["model", "condition"] : [key];
    var notes = [];
    keys.forEach(function (k) {
      if (t.spans && t.spans[k]) notes.push(k + " from \u201c" + t.quotes[k] + "\u201d [" + t.spans[k][0] + "\u2013" + t.spans[k][1] + "]");
    });
    if (key === "intervention" || key === "outcome") {
      if (t[key + "_text"]) notes.push("as written: " + t[key + "_text"]);
      notes.push("concept: " + (t[key] || "\u2014") + " \u00b7 " + (t[key + "_id"] || "no concept id"));
    }
    if (key === "model" && t.condition && t.model) notes.push("condition: " + t.condition);
    if (key === "confidence" && t.flags && t.flags.length) {
      t.flags.forEach(function (f) { notes.push("flag: " + (DATA.flags[f] || f)); });
    }
    var e = state.edits[t.id];
    if (e && Object.prototype.hasOwnProperty.call(e, key)) notes.push("edited; extracted: " + (original(t, key) || "(empty)"));
    return notes;
  }

  /* Title (where the value came from), source marker and "edited" mark of one cell. */
  function decorate(td, t, key) {
    var notes = sourceNote(t, key);
    /* The value itself leads the tooltip (compact mode cuts long values), unless "as written" already says it. */
    if (shown(t, key) && (edited(t, key) || (key !== "intervention" && key !== "outcome"))) notes.unshift(shown(t, key));
    if (notes.length) td.title = notes.join("\n"); else td.removeAttribute("title");
    td.classList.toggle("has-src", !!(t.spans && (t.spans[key] || (key === "model" && t.spans.condition))));
    td.classList.toggle("edited", edited(t, key));
    if (key === "direction") {
      td.className = td.className.replace(/\bdir-\S*/g, "").trim();
      td.classList.add("dir-" + (shown(t, key) || "none"));
    }
    var sub = td.querySelector(".sub");
    if (sub) {
      var text = secondary(t, key);
      /* A long concept id breaks after "_" (C_BONE_MINERAL_|DENSITY) rather than anywhere; a short one stays whole. */
      sub.textContent = "";
      text.split(/(\s+)/).forEach(function (token) {
        (token.length > LONG_ID_CHARS ? token.split(/(?<=_)/) : [token]).forEach(function (part, i) {
          if (i) sub.appendChild(document.createElement("wbr"));
          sub.appendChild(document.createTextNode(part));
        });
      });
      sub.classList.toggle("missing", text === "no concept id");
    }
  }

  function fieldCell(t, f) {
    var td = el("td", { "data-field": f.key });
    decorate(td, t, f.key);
    if (f.key === "direction") {
      var sel = el("select", { "aria-label": "direction of tuple " + t.id });
      var values = DATA.directions.slice();
      var cur = shown(t, "direction");
      if (cur && values.indexOf(cur) < 0) values.push(cur);
      if (!cur) values.unshift("");
      values.forEach(function (v) { var o = el("option", { value: v }, v || "—"); if (v === cur) o.selected = true; sel.appendChild(o); });
      sel.addEventListener("change", function () { setEdit(t, "direction", sel.value); });
      td.appendChild(sel);
      return td;
    }
    if (f.key === "confidence") {
      td.textContent = t.confidence === "" || t.confidence === undefined ? "" : String(t.confidence);
      td.classList.add("conf");
      td.classList.toggle("low", (t.flags || []).indexOf("low_confidence") >= 0);
      decorate(td, t, f.key);
      return td;
    }
    /* The value (editable) and, under it, a small read-only line (secondary). */
    var v = el("div", { "class": "v" }, shown(t, f.key));
    td.appendChild(v);
    if (f.key === "intervention" || f.key === "outcome" || f.key === "model") {
      td.appendChild(el("div", { "class": "sub" }));
      decorate(td, t, f.key);
    }
    if (f.editable) {
      try { v.contentEditable = "plaintext-only"; } catch (err) { v.contentEditable = "true"; }
      v.spellcheck = false;
      v.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") { ev.preventDefault(); v.blur(); }
        if (ev.key === "Escape") { v.textContent = shown(t, f.key); v.blur(); }
      });
      v.addEventListener("blur", function () { setEdit(t, f.key, v.textContent.trim()); });
      /* A click anywhere in the cell edits its value (not only on the text itself). */
      td.addEventListener("click", function (ev) {
        if (v.contains(ev.target) || document.activeElement === v) return;
        v.focus();
        var r = document.createRange();
        r.selectNodeContents(v); r.collapse(false);
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
      });
    }
    return td;
  }

  /* The one-line evidence under a tuple (cut by CSS; the whole sentence in its tooltip). */
  function evidenceRow(t) {
    var tr = el("tr", { "class": "evl", "data-for": t.id });
    var td = el("td", { colspan: String(DATA.fields.length + 2) });
    var line = el("div", { "class": "evline", title: t.evidence || "" });
    if (t.source === "table") line.appendChild(el("span", { "class": "badge" }, "table"));
    (t.flags || []).forEach(function (f) { line.appendChild(el("span", { "class": "badge flag", title: DATA.flags[f] || f }, f.replace(/_/g, " "))); });
    line.appendChild(document.createTextNode(t.evidence || "(no evidence sentence)"));
    td.appendChild(line);
    tr.appendChild(td);
    tr.addEventListener("click", function () { select(t.id, true); });
    return tr;
  }

  function buildRow(t) {
    var tr = el("tr", { "class": "tup", "data-id": t.id, tabindex: "-1" });
    tr.appendChild(el("td", { "class": "num" }, t.id));
    var td = el("td", { "class": "verdict" });
    var ok = el("button", { type: "button", "class": "v-ok", title: "correct (c)", "aria-label": "mark tuple " + t.id + " correct" }, "\u2713");
    var bad = el("button", { type: "button", "class": "v-bad", title: "wrong (w)", "aria-label": "mark tuple " + t.id + " wrong" }, "\u2717");
    ok.addEventListener("click", function () { setVerdict(t, "correct"); });
    bad.addEventListener("click", function () { setVerdict(t, "wrong"); });
    td.appendChild(ok); td.appendChild(bad);
    tr.appendChild(td);
    DATA.fields.forEach(function (f) { tr.appendChild(fieldCell(t, f)); });
    if (selected === t.id) tr.classList.add("sel");
    verdictClass(tr, t);
    tr.addEventListener("click", function (ev) {
      if (ev.target.closest("select, button")) return;
      select(t.id, !ev.target.isContentEditable);
    });
    return tr;
  }

  function matches(t) {
    var q = document.getElementById("filter").value.trim().toLowerCase();
    var dir = document.getElementById("f-direction").value;
    var sp = document.getElementById("f-species").value;
    var vd = document.getElementById("f-verdict").value;
    if (!flagged(t, document.getElementById("f-flag").value)) return false;
    if (dir && shown(t, "direction") !== dir) return false;
    if (sp && shown(t, "species") !== sp) return false;
    if (vd && (state.verdicts[t.id] || "none") !== vd) return false;
    if (!q) return true;
    var hay = DATA.fields.map(function (f) { return shown(t, f.key); })
      .concat([t.id, t.evidence, t.intervention, t.outcome, t.intervention_id, t.outcome_id, t.condition, t.study_id]).join(" \u0001 ").toLowerCase();
    return hay.indexOf(q) >= 0;
  }

  function render() {
    var keep = document.activeElement;
    if (keep && tbody.contains(keep) && keep.isContentEditable) return; /* do not redraw under the cursor */
    tbody.textContent = "";
    rows = {};
    evRows = {};
    var prev = null;
    view.forEach(function (t) {
      var tr = buildRow(t), ev = evidenceRow(t);
      rows[t.id] = tr;
      evRows[t.id] = ev;
      tr.hidden = ev.hidden = !matches(t);
      tbody.appendChild(tr);
      tbody.appendChild(ev);
      if (tr.hidden) return;
      /* Rows of one study in a row: its refs, author, species and model show once, on the first. */
      var same = prev && t.study_id && prev.study_id === t.study_id;
      tr.classList.toggle("study-start", !same);
      STUDY_KEYS.forEach(function (key) {
        var td = tr.querySelector('td[data-field="' + key + '"]');
        if (td) td.classList.toggle("dup", !!same && shown(t, key) === shown(prev, key) && !edited(t, key));
      });
      prev = t;
    });
    document.getElementById("no-tuples").hidden = all.length > 0;
    progress();
  }

  function verdictClass(tr, t) {
    var v = state.verdicts[t.id];
    [tr, evRows[t.id]].forEach(function (row) {
      if (!row) return;
      row.classList.toggle("is-correct", v === "correct");
      row.classList.toggle("is-wrong", v === "wrong");
    });
  }

  /* Update a row in place (never rebuilt: the reviewer may be typing in another of its cells). */
  function refreshRow(t) {
    var tr = rows[t.id];
    if (!tr) return;
    verdictClass(tr, t);
    Array.prototype.forEach.call(tr.querySelectorAll("td[data-field]"), function (td) {
      decorate(td, t, td.getAttribute("data-field"));
    });
  }

  function fillSelect(id, key) {
    var sel = document.getElementById(id);
    var seen = {};
    all.forEach(function (t) { var v = shown(t, key); if (v) seen[v] = (seen[v] || 0) + 1; });
    Object.keys(seen).sort(Report.compare).forEach(function (v) { sel.appendChild(el("option", { value: v }, v + " (" + seen[v] + ")")); });
    sel.addEventListener("change", render);
  }

  /* ---------------------------------------------------------------- selection and detail */
  function showDetail(t) {
    detail.textContent = "";
    detail.classList.remove("muted");
    var head = el("div", { "class": "detail-head" });
    head.appendChild(el("b", null, "Tuple " + t.id));
    head.appendChild(document.createTextNode(" \u00b7 study " + (t.study_id || "?") + " \u00b7 " + (t.source || "text") +
      " \u00b7 confidence " + (t.confidence || "?")));
    (t.flags || []).forEach(function (f) { head.appendChild(el("span", { "class": "badge flag" }, DATA.flags[f] || f)); });
    detail.appendChild(head);
    detail.appendChild(el("blockquote", { "class": "evidence" }, t.evidence || "(no evidence sentence)"));
    var dl = el("dl");
    ["refs", "first_author", "year", "design", "species", "condition", "model", "intervention", "intervention_text",
      "intervention_id", "route", "dose", "comparator", "outcome", "outcome_text", "outcome_id", "direction", "value",
      "timepoint"].forEach(function (k) {
      var v = k === "model" || k === "condition" ? String(t[k] || "") : shown(t, k);
      if (!v && !(t.spans && t.spans[k])) return;
      var item = el("div");
      item.appendChild(el("dt", null, k.replace("_", " ")));
      var dd = el("dd", null, v || "\u2014");
      item.appendChild(dd);
      if (t.spans && t.spans[k]) {
        dd.appendChild(el("span", { "class": "src fcol-" + k }, "\u201c" + t.quotes[k] + "\u201d @" + t.spans[k][0]));
      }
      dl.appendChild(item);
    });
    detail.appendChild(dl);
  }

  /* Select a tuple: mark its row, show its detail, and (when newly selected or `again`) mark its evidence
   * and each field's span in the text, scrolling there unless `stay`. */
  function select(id, again, stay) {
    var t = byId[id];
    if (!t) return;
    var fresh = selected !== id;
    if (selected && rows[selected]) { rows[selected].classList.remove("sel"); evRows[selected].classList.remove("sel"); }
    selected = id;
    if (rows[id]) { rows[id].classList.add("sel"); evRows[id].classList.add("sel"); }
    showDetail(t);
    if (fresh || again) {
      highlight(t, stay);
      if (rows[id]) rows[id].scrollIntoView({ block: "nearest" });
    }
  }

  function setVerdict(t, verdict) {
    if (state.verdicts[t.id] === verdict) delete state.verdicts[t.id];
    else state.verdicts[t.id] = verdict;
    persist(t.id);
    refreshRow(t);
    select(t.id, false);
  }

  function setEdit(t, key, value) {
    var e = state.edits[t.id] || {};
    if (value === original(t, key)) delete e[key];
    else e[key] = value;
    if (Object.keys(e).length) state.edits[t.id] = e; else delete state.edits[t.id];
    persist(t.id);
    refreshRow(t);
    if (selected === t.id) showDetail(t);
  }

  function progress() {
    var ids = Object.keys(state.verdicts);
    var ok = ids.filter(function (id) { return state.verdicts[id] === "correct"; }).length;
    document.getElementById("progress").textContent = ids.length + " / " + all.length + " reviewed (" +
      ok + " \u2713, " + (ids.length - ok) + " \u2717)";
  }

  /* ---------------------------------------------------------------- export */
  function alternatives(value) { return String(value || "").split(/\s*[;|]\s*/).filter(function (v) { return v; }); }
  function unique(list) {
    var out = [];
    list.forEach(function (v) { v = String(v || "").trim(); if (v && out.indexOf(v) < 0) out.push(v); });
    return out;
  }
  function edited(t, key) { var e = state.edits[t.id]; return !!e && Object.prototype.hasOwnProperty.call(e, key); }

  function goldTuple(t) {
    function one(key) { return shown(t, key) || null; }
    return {
      refs: unique(String(shown(t, "refs")).split(/[;,\uff0c\uff1b\s]+/)),
      first_author: one("first_author"),
      design: one("design"),
      species: one("species"),
      condition: edited(t, "model") ? unique(alternatives(shown(t, "model")))
        : unique(alternatives(t.condition).concat(alternatives(t.model))),
      intervention: edited(t, "intervention") ? unique(alternatives(shown(t, "intervention")))
        : unique([t.intervention, t.intervention_text]),
      route: one("route"),
      outcome: edited(t, "outcome") ? unique(alternatives(shown(t, "outcome"))) : unique([t.outcome, t.outcome_text]),
      direction: edited(t, "direction") ? unique(alternatives(shown(t, "direction"))) : unique([t.direction]),
      timepoint: one("timepoint"),
      evidence: t.evidence || "",
      tuple_id: t.id
    };
  }

  function goldFile() {
    var review = {};
    all.forEach(function (t) { if (state.verdicts[t.id]) review[t.id] = state.verdicts[t.id]; });
    return {
      doc: DATA.doc,
      abbreviations: DATA.abbreviations,
      concept_groups: DATA.concept_groups.map(function (g) { return { name: g.name, aliases: g.aliases, concept_id: g.concept_id }; }),
      tuples: all.filter(function (t) { return state.verdicts[t.id] === "correct"; }).map(goldTuple),
      review: review,
      edits: state.edits,
      added: state.added,
      run: DATA.run,
      exported: new Date().toISOString()
    };
  }

  function download() {
    var blob = new Blob([JSON.stringify(goldFile(), null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: DATA.doc + ".json" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  /* ---------------------------------------------------------------- wiring */
  Report.sortable(table, null, function (key, dir) {
    view.sort(function (a, b) { return dir * Report.compare(key === "id" ? a.id : shown(a, key), key === "id" ? b.id : shown(b, key)); });
    render();
  });
  fillSelect("f-direction", "direction");
  fillSelect("f-species", "species");
  document.getElementById("f-verdict").addEventListener("change", render);
  document.getElementById("f-flag").addEventListener("change", render);
  document.getElementById("compact").addEventListener("click", function () {
    prefs.compact = !prefs.compact; Report.save(PREFS_KEY, prefs); applyPrefs();
  });
  document.getElementById("filter").addEventListener("input", render);
  document.getElementById("export").addEventListener("click", download);
  /* Replace the review state (Clear, Import) and redraw. */
  function reset(next) {
    state = next;
    all = DATA.tuples.concat(state.added);
    view = all.slice();
    byId = {};
    all.forEach(function (t) { byId[t.id] = t; });
    selected = null;
    clearHighlight();
    render();
  }
  document.getElementById("clear").addEventListener("click", function () {
    if (!window.confirm("Forget every verdict and edit for this paper?")) return;
    Report.remove(DATA.storage_key);
    reset({ verdicts: {}, edits: {}, sigs: {}, added: [] });
  });

  /* Import a file written by Export (this paper's): verdicts, edits and added tuples come back. */
  var importer = document.getElementById("import-file");
  document.getElementById("import").addEventListener("click", function () { importer.click(); });
  importer.addEventListener("change", function () {
    var file = importer.files && importer.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      var data;
      try { data = JSON.parse(reader.result); } catch (e) { window.alert("Not a JSON file: " + e.message); return; }
      if (!data || data.doc !== DATA.doc || typeof data.review !== "object") {
        window.alert("This file is not a review of " + DATA.doc + ".");
        return;
      }
      var next = { verdicts: {}, edits: {}, sigs: {}, added: Array.isArray(data.added) ? data.added.filter(function (t) {
        return t && typeof t.id === "string" && t.id.charAt(0) === "+";
      }) : [] };
      var known = {};
      DATA.tuples.concat(next.added).forEach(function (t) { known[t.id] = t; });
      Object.keys(data.review || {}).forEach(function (id) {
        var v = data.review[id];
        if (known[id] && (v === "correct" || v === "wrong")) next.verdicts[id] = v;
      });
      Object.keys(data.edits || {}).forEach(function (id) {
        if (known[id] && data.edits[id] && typeof data.edits[id] === "object") next.edits[id] = data.edits[id];
      });
      reset(next);
      Object.keys(byId).forEach(function (id) { persist(id); });
      importer.value = "";
    };
    reader.readAsText(file);
  });
  Array.prototype.forEach.call(document.querySelectorAll(".legend [data-label]"), function (chip) {
    chip.addEventListener("click", function () {
      var cls = "hide-" + chip.getAttribute("data-label");
      chip.classList.toggle("off", textBox.classList.toggle(cls));
    });
  });
  /* The text's soft line breaks (see report.soft_breaks) show as extracted when asked; kept per browser. */
  var rawBreaks = document.getElementById("raw-breaks");
  var prefs = Report.load(PREFS_KEY) || {};
  function applyPrefs() {
    rawBreaks.checked = !!prefs.rawBreaks;
    textBox.classList.toggle("raw-breaks", !!prefs.rawBreaks);
    table.classList.toggle("compact", !!prefs.compact);
    var compact = document.getElementById("compact");
    if (compact) compact.setAttribute("aria-pressed", prefs.compact ? "true" : "false");
  }
  rawBreaks.addEventListener("change", function () { prefs.rawBreaks = rawBreaks.checked; Report.save(PREFS_KEY, prefs); applyPrefs(); });
  applyPrefs();
  var jump = document.getElementById("jump");
  if (jump) jump.addEventListener("change", function () {
    var target = jump.value && document.getElementById(jump.value);
    if (target) target.scrollIntoView({ block: "start" });
  });

  /* A tuple the pipeline missed: the reviewer selects its evidence in the text and adds it; its fields
   * start empty (refs from the citations inside the selection) and are filled in by editing. */
  function textOffset(node, offset) {
    var pre = document.createRange();
    pre.setStart(textBox, 0);
    pre.setEnd(node, offset);
    return cpLength(pre.toString());
  }
  function addFromSelection() {
    var sel = window.getSelection();
    var range = sel && sel.rangeCount ? sel.getRangeAt(0) : null;
    if (!range || range.collapsed || !textBox.contains(range.commonAncestorContainer)) {
      window.alert("Select the evidence sentence in the paper text first, then add the tuple.");
      return;
    }
    var start = textOffset(range.startContainer, range.startOffset);
    var end = textOffset(range.endContainer, range.endOffset);
    var refs = [], authors = [];
    Array.prototype.forEach.call(textBox.querySelectorAll("a.cit[data-refs]"), function (a) {
      if (!range.intersectsNode(a)) return;
      a.getAttribute("data-refs").split(";").forEach(function (r) { if (r && refs.indexOf(r) < 0) refs.push(r); });
      var who = a.getAttribute("data-author");
      if (who && authors.indexOf(who) < 0) authors.push(who);
    });
    var n = 1;
    while (byId["+" + n]) n++;
    var t = { id: "+" + n, refs: "", first_author: "", species: "", model: "", condition: "", intervention: "",
      route: "", outcome: "", direction: "", timepoint: "", design: "", start: start, end: end,
      evidence: range.toString(), spans: {}, quotes: {}, source: "reviewer" };
    state.added.push(t);
    all.push(t);
    view.push(t);
    byId[t.id] = t;
    state.verdicts[t.id] = "correct";
    if (refs.length || authors.length) state.edits[t.id] = { refs: refs.join(";"), first_author: authors[0] || "" };
    persist(t.id);
    sel.removeAllRanges();
    render();
    select(t.id, true);
  }
  document.getElementById("add").addEventListener("click", addFromSelection);

  /* Clicking inside a tuple's evidence in the text selects that tuple (the next one on each click). */
  textBox.addEventListener("click", function (ev) {
    var seg = ev.target.closest("[data-o]");
    if (!seg || ev.target.closest("a") || !window.getSelection().isCollapsed) return;
    var at = parseInt(seg.getAttribute("data-o"), 10);
    var here = view.filter(function (t) { return t.start !== null && t.start <= at && at < t.end && rows[t.id] && !rows[t.id].hidden; });
    if (!here.length) return;
    var i = here.map(function (t) { return t.id; }).indexOf(selected);
    select(here[(i + 1) % here.length].id, true, true);
  });

  function visibleIds() { return view.filter(function (t) { return rows[t.id] && !rows[t.id].hidden; }).map(function (t) { return t.id; }); }
  document.addEventListener("keydown", function (ev) {
    var tgt = ev.target;
    if (tgt.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(tgt.tagName) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var ids = visibleIds();
    if (!ids.length) return;
    var i = ids.indexOf(selected);
    if (ev.key === "ArrowDown" || ev.key === "j") { select(ids[Math.min(ids.length - 1, i + 1)]); ev.preventDefault(); }
    else if (ev.key === "ArrowUp" || ev.key === "k") { select(ids[Math.max(0, i - 1)]); ev.preventDefault(); }
    else if (ev.key === "Enter" && selected) { select(selected, true); }
    else if (ev.key === "c" && selected) { setVerdict(byId[selected], "correct"); }
    else if (ev.key === "w" && selected) { setVerdict(byId[selected], "wrong"); }
  });

  /* "#flag=any" (the index's flagged column) opens the page with that flag filter set. */
  var wanted = /(?:^#|&)flag=([\w]+)/.exec(window.location.hash);
  var flagSelect = document.getElementById("f-flag");
  if (wanted && flagSelect.querySelector('option[value="' + wanted[1] + '"]')) flagSelect.value = wanted[1];
  render();
  window.__reportReady = true;
})();
