/**
 * SVG charts of a run, rendered on the server by Apache ECharts (SVG renderer, no DOM).
 */
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import type { ModeResult } from "./experiment-types.js";

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

function render(option: Record<string, unknown>, width = 860, height = 440): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ animation: false, backgroundColor: "#ffffff", textStyle: { fontFamily: "sans-serif" }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Empirical latency distribution (CDF) of every request, one line per mode, log-scale milliseconds. */
export function latencyChart(modes: ModeResult[], title = "Latency distribution per mode"): string {
  const series = modes.map((mode) => {
    const sorted = mode.records.filter((r) => r.latency_ms > 0).map((r) => r.latency_ms).sort((a, b) => a - b);
    return {
      name: mode.mode,
      type: "line",
      step: "end",
      showSymbol: false,
      data: sorted.map((latency, i) => [Math.max(latency, 0.1), Math.round(((i + 1) / sorted.length) * 1000) / 10]),
    };
  });
  return render({
    title: { text: title, subtext: "share of requests finished within a latency (all outcomes)", left: "center" },
    legend: { bottom: 4, itemGap: 36 },
    grid: { top: 80, left: 70, right: 40, bottom: 90 },
    xAxis: { type: "log", name: "latency (ms, log scale)", nameLocation: "middle", nameGap: 30 },
    yAxis: { type: "value", min: 0, max: 100, name: "% of requests", nameLocation: "middle", nameGap: 45 },
    series,
  });
}

/** Outcome shares per mode (succeeded, out of stock, failed) as stacked bars, with consistency violations in the labels. */
export function outcomeChart(modes: ModeResult[], title = "Outcomes and failure rate per mode"): string {
  const share = (mode: ModeResult, n: number) => (mode.records.length ? Math.round((n / mode.records.length) * 1000) / 10 : 0);
  const categories = modes.map((m) => `${m.mode}\n${m.summary.consistency_violations} consistency violation${m.summary.consistency_violations === 1 ? "" : "s"}`);
  const bar = (name: string, color: string, pick: (m: ModeResult) => number) => ({
    name,
    type: "bar",
    stack: "outcomes",
    itemStyle: { color },
    label: { show: true, formatter: (p: { value: number }) => (p.value > 0 ? `${p.value}%` : "") },
    data: modes.map((m) => share(m, pick(m))),
  });
  return render({
    title: { text: title, subtext: "share of requests by outcome", left: "center" },
    legend: { bottom: 4, itemGap: 60 },
    grid: { top: 80, left: 70, right: 40, bottom: 100 },
    xAxis: { type: "category", data: categories },
    yAxis: { type: "value", min: 0, max: 100, name: "% of requests", nameLocation: "middle", nameGap: 45 },
    series: [
      bar("succeeded", "#3b8e4f", (m) => m.summary.succeeded),
      bar("out of stock (correct refusal)", "#9cb7d4", (m) => m.summary.out_of_stock),
      bar("failed", "#c8453c", (m) => m.summary.failed),
    ],
  });
}
