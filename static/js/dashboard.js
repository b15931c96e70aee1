// Progress dashboards: one trend chart per goal, drawn with the vendored Chart.js from the JSON the page
// carries in <script type="application/json" id="dashboard-data"> (the CSP forbids inline scripts).
// Each chart shows the indicator chosen in the goal's <select>; the same figures are in a table on the
// page, and the canvas's aria-label says what the chart shows.
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var root = document.documentElement;
  var rtl = root.getAttribute("dir") === "rtl";
  var locale = (root.getAttribute("lang") || "fa").indexOf("fa") === 0 ? "fa-IR" : "en-GB";
  var numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  var green = "#1e6b3a";
  var leaf = "rgba(140, 198, 63, 0.25)";
  var charts = {};

  Chart.defaults.font.family = '"Vazirmatn", system-ui, sans-serif';
  Chart.defaults.locale = locale;

  function describe(series) {
    return data.strings.trend.replace("%(name)s", series.name).replace("%(unit)s", series.unit);
  }

  function draw(canvas, goal, index) {
    var series = (data.goals[goal] || [])[index];
    if (!series) {
      return;
    }
    canvas.setAttribute("aria-label", describe(series));
    if (charts[goal]) {
      charts[goal].destroy();
    }
    charts[goal] = new Chart(canvas, {
      type: "line",
      data: {
        labels: data.periods,
        datasets: [
          {
            label: series.name + " (" + series.unit + ")",
            data: series.values,
            borderColor: green,
            backgroundColor: leaf,
            fill: true,
            tension: 0.2,
            spanGaps: false,
            pointRadius: 4,
          },
        ],
      },
      options: {
        responsive: true,
        aspectRatio: 3,
        animation: false,
        locale: locale,
        scales: {
          // Under Persian the oldest quarter is on the right, as in the table beside the chart.
          // offset: half a quarter's room at each end, so the outermost labels are not cut off.
          x: { reverse: rtl, offset: true },
          y: {
            beginAtZero: true,
            position: rtl ? "right" : "left",
            ticks: {
              callback: function (value) {
                return numbers.format(value);
              },
            },
          },
        },
        plugins: {
          legend: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
          tooltip: {
            rtl: rtl,
            textDirection: rtl ? "rtl" : "ltr",
            callbacks: {
              label: function (context) {
                var value = context.parsed.y;
                return value === null ? data.strings.no_data : numbers.format(value) + " " + series.unit;
              },
            },
          },
        },
      },
    });
  }

  document.querySelectorAll("canvas[data-trend-goal]").forEach(function (canvas) {
    draw(canvas, canvas.getAttribute("data-trend-goal"), 0);
  });

  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-trend-select]");
    if (!select) {
      return;
    }
    var goal = select.getAttribute("data-trend-select");
    var canvas = document.querySelector('canvas[data-trend-goal="' + goal + '"]');
    if (canvas) {
      draw(canvas, goal, parseInt(select.value, 10));
    }
  });
})();
