// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.classList && el.classList.contains("js-autosubmit") && el.form) {
      el.form.submit();
    }
  });
  // Buttons marked data-confirm ask before a destructive POST.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
    // A form marked js-once disables its submit buttons so a double click sends one request.
    if (!event.defaultPrevented && event.target.classList.contains("js-once")) {
      setTimeout(function () {
        event.target.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  });
  // A table wider than the screen scrolls inside its .table-responsive box; a keyboard user can scroll it
  // only if the box takes the focus (WCAG 2.1.1), so a box that actually scrolls is made focusable.
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }
  // A data table a template did not put in a .table-responsive box would widen the whole page on a phone:
  // give it one, so it scrolls on its own and the page keeps the screen's width.
  function boxWideTables() {
    document.querySelectorAll("main table.table").forEach(function (table) {
      if (table.closest(".table-responsive")) { return; }
      var box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { boxWideTables(); focusableScrollers(); });
  window.addEventListener("resize", focusableScrollers);
})();
