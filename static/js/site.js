// Language switch: the <select> submits its form when changed (no inline handlers, the CSP forbids them).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// A form sent back with errors: the summary of what to correct takes the focus, so it is read first
// and a keyboard user starts from its links to the fields.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// Stacked cards on a phone (site.css, .table-cards): each cell is labelled with its column's heading.
function labelTableCells(root) {
  var tables = root.querySelectorAll ? root.querySelectorAll("table.table-cards") : [];
  if (root.matches && root.matches("table.table-cards")) {
    tables = [root].concat(Array.prototype.slice.call(tables));
  }
  Array.prototype.forEach.call(tables, function (table) {
    var headings = table.querySelectorAll(":scope > thead > tr > th");
    if (!headings.length) {
      return;
    }
    Array.prototype.forEach.call(table.querySelectorAll(":scope > tbody > tr"), function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var heading = headings[column];
        var label = heading ? heading.textContent.trim() : "";
        if (label && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
          cell.setAttribute("data-label", label);
        }
        column += cell.colSpan || 1;
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () {
  labelTableCells(document);
});
document.addEventListener("htmx:load", function (event) {
  labelTableCells(event.target);
});
