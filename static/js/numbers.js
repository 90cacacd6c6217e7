// Numbers in forms (issue 16 §3, docs/reporting.md "Angka"): digits are grouped as they are typed, and fields
// computed as a sum of others (data-sum-of) follow live. The marks are the page language's, written by the server
// on an enclosing element ({% number_marks %}: data-decimal-mark, data-group-mark), never guessed here.
// Inputs marked data-number are grouped ("plain": a year, never grouped). Without this script the page works:
// the server reads 1234567 and 1.234.567 alike and computes the sums again.
(function () {
  "use strict";

  function marksOf(element) {
    var holder = element.closest("[data-decimal-mark]");
    return holder ? { dec: holder.dataset.decimalMark, grp: holder.dataset.groupMark } : null;
  }

  function escaped(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function group(digits, mark) { return digits.replace(/\B(?=(\d{3})+(?!\d))/g, mark); }

  // The server's reading (siinas.lib.numbers.parse_number), as a number kept exact: {sign, whole, fraction} digit
  // strings (a 20-digit Rupiah amount is beyond a JS number's 15 exact digits), or null when it is not a number.
  function parse(text, marks) {
    var t = text.replace(/[\s\u00a0\u202f]/g, "");
    var sign = "";
    if (/^[-+\u2212]/.test(t)) { sign = t.charAt(0) === "+" ? "" : "-"; t = t.slice(1); }
    if (!t || t.length > 60) { return null; }
    var local = new RegExp("^(\\d+|[1-9]\\d{0,2}(?:" + escaped(marks.grp) + "\\d{3})+)?(?:" + escaped(marks.dec) + "(\\d+))?$");
    var found = local.exec(t);
    if (found && (found[1] || found[2])) {
      return { sign: sign, whole: (found[1] || "0").split(marks.grp).join(""), fraction: found[2] || "" };
    }
    if (marks.dec !== ".") {  // a machine value 1234.5, unless the dot can be a thousands mark (1.234)
      found = /^(\d+)\.(\d+)$/.exec(t);
      if (found && !(/^[1-9]\d{0,2}$/.test(found[1]) && found[2].length === 3)) {
        return { sign: sign, whole: found[1], fraction: found[2] };
      }
    }
    return null;
  }

  // The exact sum of parsed numbers (BigInt over a common number of decimals).
  function add(numbers) {
    var scale = 0;
    numbers.forEach(function (n) { scale = Math.max(scale, n.fraction.length); });
    var total = BigInt(0);
    numbers.forEach(function (n) {
      var digits = BigInt(n.whole + n.fraction + "0".repeat(scale - n.fraction.length));
      total += n.sign === "-" ? -digits : digits;
    });
    var negative = total < BigInt(0);
    var text = (negative ? -total : total).toString();
    while (text.length <= scale) { text = "0" + text; }
    return { sign: negative ? "-" : "", whole: text.slice(0, text.length - scale), fraction: text.slice(text.length - scale) };
  }

  // As the server shows it (siinas.lib.numbers.format_number): grouped, significant decimals only.
  function format(number, marks) {
    var whole = number.whole.replace(/^0+(?=\d)/, "");
    var fraction = number.fraction.replace(/0+$/, "");
    var sign = number.sign && (whole !== "0" || fraction) ? "-" : "";
    return sign + group(whole, marks.grp) + (fraction ? marks.dec + fraction : "");
  }

  // Regroup what is being typed, keeping the caret after the same digit. Text that is not digits with at
  // most one decimal mark is left as typed: the server says what is wrong with it.
  function regroup(input, marks) {
    var value = input.value;
    var bare = value.split(marks.grp).join("");
    var shape = new RegExp("^([-\u2212]?)(\\d*)(" + escaped(marks.dec) + "\\d*)?$").exec(bare);
    if (!shape) { return; }
    var whole = shape[2].replace(/^0+(?=\d)/, "");  // "0" then 5 typed after it is 5, not 05
    var out = shape[1] + group(whole, marks.grp) + (shape[3] || "");
    if (out === value) { return; }
    var caret = input.selectionStart === null ? value.length : input.selectionStart;
    var keep = Math.max(0, value.slice(0, caret).split(marks.grp).join("").length - (shape[2].length - whole.length));
    input.value = out;
    var position = 0;
    for (var seen = 0; position < out.length && seen < keep; position++) {
      if (out.charAt(position) !== marks.grp) { seen++; }
    }
    if (document.activeElement === input) { input.setSelectionRange(position, position); }
  }

  // Text typed or pasted with its own marks ("12.5", "1.234.567") is read as the server reads it, then shown grouped.
  function tidy(input, marks) {
    var number = parse(input.value, marks);
    if (number !== null) { input.value = format(number, marks); }
    delete input.dataset.ownMarks;
  }

  function updateSums(root) {
    var marks = root ? marksOf(root) : null;
    if (!marks) { return; }
    root.querySelectorAll("[data-sum-of]").forEach(function (total) {
      var numbers = [];
      total.dataset.sumOf.split(" ").forEach(function (name) {
        var part = root.querySelector('[name="' + name + '"]');
        var number = part ? parse(part.value, marks) : null;
        if (number !== null) { numbers.push(number); }
      });
      var shown = format(add(numbers), marks);
      if (total.tagName === "OUTPUT") { total.textContent = shown; } else if (total.value !== shown) { total.value = shown; }
    });
    // A table's column total (<output data-column-sum=prefix data-column=name>): rows ticked for deletion count 0.
    root.querySelectorAll("output[data-column-sum]").forEach(function (output) {
      var numbers = [];
      var suffix = "-" + output.dataset.column;
      root.querySelectorAll('table[data-formset="' + output.dataset.columnSum + '"] tbody tr').forEach(function (row) {
        var gone = row.querySelector('input[name$="-DELETE"]');
        if (gone && gone.checked) { return; }
        row.querySelectorAll("input[data-number]").forEach(function (input) {
          if (input.name.slice(-suffix.length) !== suffix) { return; }
          var number = parse(input.value, marks);
          if (number !== null) { numbers.push(number); }
        });
      });
      output.textContent = format(add(numbers), marks);
    });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-number]")) { return; }
    var marks = marksOf(input);
    if (!marks) { return; }
    var typed = event.data || "";
    if (input.dataset.number !== "plain") {
      if (event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop") {
        tidy(input, marks);
      } else if (typed.indexOf(marks.grp) !== -1 || input.value === "") {
        // The group mark typed by hand (or "." meaning a decimal point): read on leaving the field, like a paste.
        if (input.value === "") { delete input.dataset.ownMarks; } else { input.dataset.ownMarks = "1"; }
      } else if (!input.dataset.ownMarks) {
        regroup(input, marks);
      }
    }
    updateSums(input.form || input.closest("[data-decimal-mark]"));
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name && /-DELETE$/.test(input.name)) { if (input.form) { updateSums(input.form); } return; }
    if (!input.matches || !input.matches("input[data-number]") || !input.dataset.ownMarks) { return; }
    var marks = marksOf(input);
    if (marks) { tidy(input, marks); updateSums(input.form || input.closest("[data-decimal-mark]")); }
  });

  document.querySelectorAll("[data-decimal-mark]").forEach(updateSums);
})();
