// Draws every plotly chart on the page. Each chart is an element with data-chart naming the
// json_script element that holds its figure (built in funding/charts.py), so no inline script.
(function () {
  "use strict";
  var config = { displaylogo: false, displayModeBar: false, responsive: true };

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    Plotly.newPlot(element, figure.data, figure.layout, config);
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
