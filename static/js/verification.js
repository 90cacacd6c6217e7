// Review page: writing a comment under a section ticks that section for Pengembalian Data, and
// clearing it unticks it, so what is sent back is what the reviewer sees. The form works without it.
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("textarea[data-return-box]")) {
      return;
    }
    var box = document.getElementById(area.dataset.returnBox);
    if (box) {
      box.checked = area.value.trim() !== "";
    }
  });
})();
