// Draws every plotly chart on the page. Each chart is an element with data-chart naming the
// json_script element that holds its figure (built in funding/dashboards/charts.py), so no inline script.
(function () {
  "use strict";
  var config = { displaylogo: false, displayModeBar: false, responsive: true };
  // Below this width (a phone) a horizontal money axis keeps every other tick, so its labels fit
  // unrotated.
  var NARROW = 500;

  function isNarrow(element) {
    return element.clientWidth > 0 && element.clientWidth < NARROW;
  }

  // The figure's layout for the chart's width: on a narrow chart the money axis loses every
  // other tick (zero stays), rather than rotating or clipping labels such as "€ 20 mln".
  function layoutFor(figure, narrow) {
    var layout = JSON.parse(JSON.stringify(figure.layout));
    // Only a horizontal money axis: a vertical one has room for its labels.
    var axis = layout.meta && layout.meta.money_axis === "xaxis" && layout.xaxis;
    if (narrow && axis && axis.tickvals && axis.tickvals.length > 3) {
      var keep = function (value, index) {
        return index % 2 === 0;
      };
      axis.tickvals = axis.tickvals.filter(keep);
      axis.ticktext = axis.ticktext.filter(keep);
    }
    if (narrow && layout.legend && layout.height) {
      // Legend entries stand one to a line on a phone: make room so plotly need not scroll them.
      layout.height = Math.max(layout.height, 130 + 24 * figure.data.length);
    }
    return layout;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var narrow = isNarrow(element);
    element.dataset.narrow = narrow ? "yes" : "no";
    Plotly.newPlot(element, figure.data, layoutFor(figure, narrow), config);
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  // A chart that crosses the narrow width (a phone turned, a window resized) is drawn again.
  var pending = null;
  function redrawChanged() {
    pending = null;
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      if (element.dataset.narrow !== (isNarrow(element) ? "yes" : "no")) {
        draw(element);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  window.addEventListener("resize", function () {
    if (pending === null) {
      pending = window.setTimeout(redrawChanged, 200);
    }
  });
})();
