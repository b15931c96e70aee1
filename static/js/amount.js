// Amount fields (input[data-amount]): the digits are grouped in thousands as the person types, in
// Persian digits under fa and Latin under en, and the amount is written out in words below the box
// ("پنج میلیارد ریال", "five billion rials") in a polite live region. The server reads the grouped text
// back (greenjobs.numeric); text that is not a plain amount is left exactly as typed for it to refuse.
(function () {
  "use strict";

  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  var ARABIC = "٠١٢٣٤٥٦٧٨٩";
  // Digits in any script, thousands separators (comma, momayyez, Arabic comma, spaces, apostrophe).
  var PLAIN_AMOUNT = /^[\s0-9۰-۹٠-٩,٬،'\u00a0\u2009\u202f]*$/;

  function latinDigits(text) {
    return text.replace(/[۰-۹٠-٩]/g, function (d) {
      var i = PERSIAN.indexOf(d);
      return String(i >= 0 ? i : ARABIC.indexOf(d));
    });
  }

  function persianDigits(text) {
    return text.replace(/[0-9]/g, function (d) { return PERSIAN[+d]; });
  }

  function group(digits, persian) {
    var grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, persian ? "٬" : ",");
    return persian ? persianDigits(grouped) : grouped;
  }

  var FA = {
    ones: ["", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"],
    teens: ["ده", "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "نوزده"],
    tens: ["", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود"],
    hundreds: ["", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد"],
    scales: ["", "هزار", "میلیون", "میلیارد", "هزار میلیارد", "میلیون میلیارد", "میلیارد میلیارد"],
  };
  var EN = {
    ones: ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    teens: ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"],
    tens: ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
    scales: ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"],
  };

  function faTriple(n) {
    var parts = [];
    var h = Math.floor(n / 100), rest = n % 100;
    if (h) parts.push(FA.hundreds[h]);
    if (rest >= 10 && rest < 20) parts.push(FA.teens[rest - 10]);
    else {
      if (Math.floor(rest / 10)) parts.push(FA.tens[Math.floor(rest / 10)]);
      if (rest % 10) parts.push(FA.ones[rest % 10]);
    }
    return parts.join(" و ");
  }

  function enTriple(n) {
    var parts = [];
    var h = Math.floor(n / 100), rest = n % 100;
    if (h) parts.push(EN.ones[h] + " hundred");
    if (rest >= 10 && rest < 20) parts.push(EN.teens[rest - 10]);
    else if (rest) {
      var t = EN.tens[Math.floor(rest / 10)], o = EN.ones[rest % 10];
      parts.push(t && o ? t + "-" + o : t || o);
    }
    return parts.join(" ");
  }

  // The amount in words, from its Latin digits (a string: amounts pass 2^53, so no Number arithmetic).
  function inWords(digits, persian) {
    digits = digits.replace(/^0+(?=\d)/, "");
    var table = persian ? FA : EN;
    if (/^0*$/.test(digits)) return persian ? "صفر ریال" : "zero rials";
    var groups = [];
    for (var end = digits.length; end > 0; end -= 3) {
      groups.unshift(+digits.slice(Math.max(0, end - 3), end));
    }
    if (groups.length > table.scales.length) return "";
    var words = [];
    groups.forEach(function (value, index) {
      if (!value) return;
      var scale = table.scales[groups.length - 1 - index];
      // Persian says "هزار", not "یک هزار"; a lone "one" before the larger scales stays ("یک میلیون").
      var number = persian && value === 1 && scale === "هزار" ? "" : (persian ? faTriple(value) : enTriple(value));
      words.push([number, scale].filter(Boolean).join(" "));
    });
    if (persian) return words.join(" و ") + " ریال";
    return words.join(" ") + (digits === "1" ? " rial" : " rials");
  }

  function update(input, reformat) {
    var persian = (document.documentElement.lang || "").indexOf("fa") === 0;
    var words = document.getElementById(input.id + "_words");
    var text = input.value;
    var plain = PLAIN_AMOUNT.test(text);
    var digits = plain ? latinDigits(text).replace(/[^0-9]/g, "") : "";
    if (reformat && plain && digits) {
      // Keep the caret after the same number of digits it followed before the regrouping.
      var caret = input.selectionStart == null ? text.length : input.selectionStart;
      var before = latinDigits(text.slice(0, caret)).replace(/[^0-9]/g, "").length;
      var grouped = group(digits.replace(/^0+(?=\d)/, ""), persian);
      if (grouped !== text) {
        input.value = grouped;
        var position = 0, seen = 0;
        var skipped = digits.length - digits.replace(/^0+(?=\d)/, "").length;
        before = Math.max(0, before - skipped);
        while (position < grouped.length && seen < before) {
          if (/[0-9۰-۹]/.test(grouped[position])) seen += 1;
          position += 1;
        }
        if (document.activeElement === input) input.setSelectionRange(position, position);
      }
    }
    if (words) words.textContent = digits ? inWords(digits, persian) : "";
  }

  function attach(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("input[data-amount]").forEach(function (input) {
      if (input.dataset.amountReady) return;
      input.dataset.amountReady = "1";
      var words = document.getElementById(input.id + "_words");
      if (words) {
        var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
        if (described.indexOf(words.id) < 0) described.push(words.id);
        input.setAttribute("aria-describedby", described.join(" "));
      }
      input.addEventListener("input", function () { update(input, true); });
      update(input, false);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { attach(document); });
  document.addEventListener("htmx:load", function (event) { attach(event.target); });
  window.GreenJobsAmount = { inWords: inWords, group: group };
})();
