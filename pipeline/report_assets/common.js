/* Spot-check report: helpers shared by the index and the paper pages.
 * Plain ES2017, no libraries; pages open from file:// with no network.
 * Data from papers is only ever put into the page with textContent / setAttribute,
 * never with innerHTML. */
"use strict";

var Report = (function () {
  /* localStorage may be missing or refuse file:// pages; fall back to memory for the session. */
  var memory = {};
  function load(key) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return memory[key] || null;
    }
  }
  function save(key, value) {
    memory[key] = value;
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* kept in memory */ }
  }
  function remove(key) {
    delete memory[key];
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing stored */ }
  }

  /* Compare two cell values: numbers (or leading numbers, e.g. refs "12;13") numerically, else text. */
  function compare(a, b) {
    var na = parseFloat(a), nb = parseFloat(b);
    var aNum = !isNaN(na) && /^\s*-?[\d.]/.test(a), bNum = !isNaN(nb) && /^\s*-?[\d.]/.test(b);
    if (aNum && bNum) return na - nb;
    if (aNum !== bNum) return aNum ? -1 : 1;
    if (!a !== !b) return a ? -1 : 1; /* empty cells last */
    return String(a).localeCompare(String(b), "zh-CN");
  }

  /* Make the <th data-key> cells of `table` sort on click; `getValue(row, key)` reads a row's value,
   * `onSorted(key, dir)` lets the caller re-order its own model instead of the DOM rows. */
  function sortable(table, getValue, onSorted) {
    var state = { key: null, dir: 1 };
    Array.prototype.forEach.call(table.querySelectorAll("th[data-key]"), function (th) {
      th.setAttribute("role", "button");
      th.title = "sort by " + th.textContent;
      th.addEventListener("click", function () {
        var key = th.getAttribute("data-key");
        state.dir = state.key === key ? -state.dir : 1;
        state.key = key;
        Array.prototype.forEach.call(table.querySelectorAll("th"), function (h) {
          h.classList.remove("asc", "desc");
        });
        th.classList.add(state.dir > 0 ? "asc" : "desc");
        if (onSorted) { onSorted(key, state.dir); return; }
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) { return state.dir * compare(getValue(r1, key), getValue(r2, key)); });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    return state;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  return { load: load, save: save, remove: remove, compare: compare, sortable: sortable, el: el };
})();
