// The dashboard's charts: each <div data-chart='{"labels": [...], "series": [...]}'> drawn by
// ECharts in its Chinese locale. No inline script (the pages' CSP allows none).
(function () {
  "use strict";
  function draw(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var spec = JSON.parse(el.dataset.chart);
      var chart = echarts.init(el, null, { locale: "ZH", renderer: "canvas" });
      var many = spec.labels.length > 4;
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
        xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: many ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1, max: spec.percent ? 100 : null,
                 axisLabel: spec.percent ? { formatter: "{value}%" } : {} },
        series: spec.series.map(function (s) {
          return { name: s.name, type: spec.type || "bar", data: s.data, barMaxWidth: 48,
                   label: { show: true, position: "top", formatter: spec.percent ? "{c}%" : "{c}" } };
        })
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();
