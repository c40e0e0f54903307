/* Spot-check report, index page: sortable, filterable paper table; review progress per paper. */
"use strict";

(function () {
  var table = document.getElementById("papers");
  if (!table) return;
  var keys = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.getAttribute("data-key"); });

  Report.sortable(table, function (row, key) {
    var cell = row.cells[keys.indexOf(key)];
    return cell ? (cell.getAttribute("data-v") || cell.textContent.trim()) : "";
  });

  /* Reviewed = verdicts kept by the paper page in this browser. */
  Array.prototype.forEach.call(table.querySelectorAll("td.review"), function (td) {
    var stored = Report.load(td.getAttribute("data-key"));
    var ids = stored && stored.verdicts ? Object.keys(stored.verdicts) : [];
    var added = ids.filter(function (id) { return id.charAt(0) === "+"; }).length; /* tuples the reviewer added */
    var n = ids.length - added;
    var total = parseInt(td.getAttribute("data-total"), 10) || 0;
    td.textContent = (total ? n + " / " + total : "–") + (added ? " (+" + added + ")" : "");
    td.title = "verdicts given in this browser" + (added ? "; (+n) = tuples added by the reviewer" : "");
    if (total && n >= total) td.classList.add("done");
  });

  var filter = document.getElementById("filter");
  filter.addEventListener("input", function () {
    var q = filter.value.trim().toLowerCase();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
})();
