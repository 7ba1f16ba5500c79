// The charts of tracker's pages, drawn with the plotly.min.js the page loads from this server.
// Data comes from a JSON block in the page (no inline script): see tracker/web/charts.py.
(function () {
  "use strict";
  var COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  // An unbounded end of an interval (null) is drawn up to the chart's top value.
  function capped(values, cap) {
    return values.map(function (v) { return v === null ? cap : v; });
  }

  function seriesTraces(s, colour, withPoints) {
    var e = s.estimate, all = e.y.concat(e.high, s.points.y).filter(function (v) { return v !== null; });
    var cap = all.length ? Math.max.apply(null, all) : 0;
    var traces = [
      {x: e.x, y: capped(e.low, 0), mode: "lines", line: {width: 0}, hoverinfo: "skip", showlegend: false,
       legendgroup: s.label, type: "scatter"},
      {x: e.x, y: capped(e.high, cap), mode: "lines", line: {width: 0}, fill: "tonexty", fillcolor: rgba(colour, 0.18),
       hoverinfo: "skip", name: s.name + " interval", showlegend: false, legendgroup: s.label, type: "scatter"},
      {x: e.x, y: e.y, mode: "lines", line: {color: colour, width: 2, shape: "linear"}, name: s.name,
       text: e.hover, hovertemplate: "%{text}<extra></extra>", legendgroup: s.label, type: "scatter"}
    ];
    if (withPoints && s.points.x.length) {
      traces.push({x: s.points.x, y: s.points.y, mode: "markers", name: s.name + " claims",
                   marker: {color: colour, size: 8, line: {color: "#fff", width: 1}},
                   text: s.points.hover, customdata: s.points.href, hovertemplate: "%{text}<extra></extra>",
                   legendgroup: s.label, showlegend: false, type: "scatter"});
    }
    return traces;
  }

  function drawFigure() {
    var el = document.getElementById("figure-chart"), data = readJson("chart-data");
    if (!el || !data) { return; }
    var traces = [];
    data.forEach(function (s, i) { traces = traces.concat(seriesTraces(s, COLOURS[i % COLOURS.length], true)); });
    Plotly.newPlot(el, traces, {
      hovermode: "closest", margin: {l: 60, r: 20, t: 20, b: 50}, legend: {orientation: "h", y: -0.12},
      xaxis: {type: "date"}, yaxis: {rangemode: "tozero", title: {text: "value"}},
      hoverlabel: {align: "left"}
    }, {displaylogo: false, responsive: true});
    el.on("plotly_click", function (ev) {
      var p = ev.points && ev.points[0];
      if (p && typeof p.customdata === "string" && p.customdata.charAt(0) === "/") {
        window.location.href = p.customdata;
      }
    });
  }

  function drawSparks() {
    var charts = readJson("spark-data");
    if (!charts) { return; }
    document.querySelectorAll(".spark").forEach(function (el) {
      var c = charts[Number(el.getAttribute("data-index"))];
      if (!c) { return; }
      var s = {label: c.label, name: c.name, estimate: c.estimate, points: {x: [], y: [], hover: [], href: []}};
      Plotly.newPlot(el, seriesTraces(s, COLOURS[0], false), {
        margin: {l: 40, r: 10, t: 5, b: 25}, showlegend: false, hovermode: "closest",
        xaxis: {type: "date"}, yaxis: {rangemode: "tozero"}
      }, {displayModeBar: false, responsive: true});
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawFigure(); drawSparks(); });
})();
