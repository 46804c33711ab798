/**
 * The results chart page. It draws what the extension sends (a checked `series` message) and asks
 * the extension for everything else (open a diff, save an export). Log text only ever reaches the
 * page as text: tooltips are drawn on the canvas, table cells are set with textContent.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
  type TooltipItem,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { filterRun } from '../../src/core/results/series';
import { FromWebview, ToWebview, type ChartSeriesMessage, type SamplesMessage } from '../../src/shared/chartMessages';
import { drawnMarks, edgeArrows, runBoundaries, sampleMarks, type XYPoint } from './plugins';
import { TrialTable } from './table';
import { themeColors, themeFonts, type ThemeColors } from './theme';

Chart.register(BarController, BarElement, CategoryScale, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, zoomPlugin);

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const post = (message: FromWebview) => vscode.postMessage(message);

type Point = ChartSeriesMessage['points'][number];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fmt = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(4));

let current: { pack: string; series: ChartSeriesMessage; diffLines: Set<number>; samples?: SamplesMessage } | undefined;
let chart: Chart | undefined;
/** What `chart` draws now: scores redraw in place; anything else is replaced. */
let chartKind: 'scores' | 'counts' | undefined;
let pareto: Chart | undefined;
let selectedRun: number | 'all' = 'all';
const table = new TrialTable($('table'), (line) => post({ type: 'openTrial', line }));

const boundaries = runBoundaries(
  () => (selectedRun === 'all' ? (current?.series.runBoundaries ?? []) : []),
  () => themeColors().grid,
);
const samples = sampleMarks(
  () => current?.samples,
  () => new Map(visiblePoints(current!.series).map((p) => [p.line, p.x])),
  () => themeColors(),
);

/** The zoomed or panned view, to keep across a redraw; undefined when the chart shows everything. */
type View = Record<'x' | 'y', { min: number; max: number }>;

function viewOf(c: Chart | undefined): View | undefined {
  if (!c || chartKind !== 'scores' || !c.isZoomedOrPanned()) return undefined;
  return { x: { min: c.scales.x.min, max: c.scales.x.max }, y: { min: c.scales.y.min, max: c.scales.y.max } };
}

/** The whole view: every visible trial with half a step of room each side, and the series' score range. */
function homeView(series: ChartSeriesMessage): { x: { min?: number; max?: number }; y: { min?: number; max?: number } } {
  const points = visiblePoints(series);
  const first = points[0]?.x;
  const last = points[points.length - 1]?.x;
  return { x: { min: first === undefined ? undefined : first - 0.5, max: last === undefined ? undefined : last + 0.5 }, y: { ...series.yRange } };
}

function showHome(c: Chart, series: ChartSeriesMessage): void {
  const home = homeView(series);
  Object.assign(c.options.scales!.x!, home.x);
  Object.assign(c.options.scales!.y!, home.y);
}

function showZoomState(): void {
  $<HTMLButtonElement>('reset-zoom').disabled = !(chart && chartKind === 'scores' && chart.isZoomedOrPanned());
}

function visiblePoints(series: ChartSeriesMessage): Point[] {
  return filterRun(series, selectedRun).points;
}

/** The running best of the visible trials as a step line, carried to the last of them. */
function bestLine(series: ChartSeriesMessage): XYPoint[] {
  const { points, best } = filterRun(series, selectedRun);
  const last = best[best.length - 1];
  const to = points[points.length - 1]?.x;
  return last && to !== undefined && last.x < to ? [...best, { x: to, y: last.y }] : best;
}

function datasets(series: ChartSeriesMessage, colors: ThemeColors): ChartDataset<'line', XYPoint[]>[] {
  const points = visiblePoints(series);
  const floor = series.yRange?.min ?? 0;
  const of = (status: Point['status']) =>
    points.filter((p) => p.status === status && (p.y !== undefined || status === 'error')).map((p) => ({ x: p.x, y: p.y ?? floor, point: p }));
  const markers = (label: string, data: XYPoint[], color: string, style: 'circle' | 'crossRot', filled: boolean): ChartDataset<'line', XYPoint[]> => ({
    label,
    data,
    showLine: false,
    pointStyle: style,
    pointRadius: style === 'crossRot' ? 6 : 4,
    pointHoverRadius: 7,
    borderColor: color,
    backgroundColor: filled ? color : 'transparent',
    borderWidth: 2,
    // Points on the edge of the range (the error crosses on the axis) are drawn whole.
    clip: 8,
  });
  const sets: ChartDataset<'line', XYPoint[]>[] = [
    markers('Kept', of('kept'), colors.kept, 'circle', true),
    markers('Reverted', of('reverted'), colors.reverted, 'circle', false),
    markers('Error', of('error').map((p) => ({ ...p, y: floor })), colors.error, 'crossRot', false),
    { label: 'Best so far', data: bestLine(series), stepped: 'before', borderColor: colors.best, borderWidth: 2, pointRadius: 0, fill: false },
  ];
  if (series.baseline !== undefined && points.length) {
    const x0 = points[0].x;
    const x1 = points[points.length - 1].x;
    sets.push({ label: 'Baseline', data: [{ x: x0, y: series.baseline }, { x: x1, y: series.baseline }], borderColor: colors.baseline, borderDash: [6, 4], borderWidth: 1, pointRadius: 0 });
  }
  for (const [name, values] of Object.entries(series.modalities ?? {})) {
    if (name === 'aggregate') continue;
    const visible = new Set(points.map((p) => p.x));
    const data = values.filter((v): v is { x: number; y: number } => v.y !== undefined && visible.has(v.x));
    sets.push({ label: name, data, borderColor: colors.modality(name), borderWidth: 1, pointRadius: 2, spanGaps: true });
  }
  return sets;
}

function tooltipLines(item: TooltipItem<'line'>): string[] {
  const p = (item.raw as XYPoint).point;
  if (!p) return [`${item.dataset.label}: ${fmt((item.raw as XYPoint).y)}`];
  const lines = [`trial ${p.trial} · ${p.status}`, `${fmt(p.oldScore)} → ${fmt(p.y)}`];
  if (p.proposal) lines.push(p.proposal);
  if (p.description) lines.push(p.description.length > 120 ? `${p.description.slice(0, 119)}…` : p.description);
  if (p.timestamp) lines.push(p.timestamp);
  return lines;
}

function drawScores(series: ChartSeriesMessage, keep?: View): void {
  const colors = themeColors();
  const fonts = themeFonts();
  const data = datasets(series, colors);
  const home = homeView(series);
  if (chart && chartKind === 'scores') {
    // Live update: new data in the same chart, no animation; a zoomed or panned view stays as it is.
    chart.data.datasets = data;
    if (!chart.isZoomedOrPanned()) showHome(chart, series);
    chart.update('none');
    return;
  }
  chart?.destroy();
  chartKind = 'scores';
  const numbers = { family: fonts.numbers };
  const onZoomed = () => showZoomState();
  chart = new Chart($<HTMLCanvasElement>('chart'), {
    type: 'line',
    data: { datasets: data },
    plugins: [samples, boundaries, edgeArrows, drawnMarks],
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: { type: 'linear', ...home.x, title: { display: true, text: 'trial', color: colors.foreground }, ticks: { color: colors.foreground, precision: 0, font: numbers, includeBounds: false }, grid: { color: colors.grid } },
        y: { ...home.y, title: { display: true, text: `${series.metric ?? 'score'} (${series.direction === 'lower' ? 'lower' : 'higher'} is better)`, color: colors.foreground }, ticks: { color: colors.foreground, font: numbers, includeBounds: false }, grid: { color: colors.grid } },
      },
      plugins: {
        legend: { labels: { color: colors.foreground } },
        tooltip: { callbacks: { label: tooltipLines } },
        decimation: { enabled: true, algorithm: 'lttb', samples: 2000 },
        zoom: {
          zoom: { wheel: { enabled: true }, pinch: { enabled: true }, mode: 'xy', onZoomComplete: onZoomed },
          pan: { enabled: true, mode: 'xy', onPanComplete: onZoomed },
        },
      },
      onClick: (_event, elements) => {
        const hit = elements[0];
        const p = hit && (chart!.data.datasets[hit.datasetIndex].data[hit.index] as XYPoint).point;
        if (p && current?.diffLines.has(p.line)) post({ type: 'openTrial', line: p.line });
      },
    },
  });
  if (keep) {
    chart.zoomScale('x', keep.x, 'none');
    chart.zoomScale('y', keep.y, 'none');
  }
  showZoomState();
}

function drawCounts(series: ChartSeriesMessage): void {
  const colors = themeColors();
  chart?.destroy();
  chartKind = 'counts';
  showZoomState();
  chart = new Chart($<HTMLCanvasElement>('chart'), {
    type: 'bar',
    data: {
      labels: series.runs.map((r) => r.id),
      datasets: [
        { label: 'Kept', data: series.runs.map((r) => r.kept), backgroundColor: colors.kept },
        { label: 'Reverted', data: series.runs.map((r) => r.reverted), backgroundColor: colors.reverted },
        { label: 'Error', data: series.runs.map((r) => r.error), backgroundColor: colors.error },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { x: { ticks: { color: colors.foreground } }, y: { ticks: { color: colors.foreground, precision: 0 } } }, plugins: { legend: { labels: { color: colors.foreground } } } },
  });
}

function drawPareto(series: ChartSeriesMessage): void {
  const box = $('pareto-box');
  box.hidden = !series.pareto;
  pareto?.destroy();
  pareto = undefined;
  if (!series.pareto) return;
  const colors = themeColors();
  const front = series.pareto.map((p) => ({ x: p.x, y: p.y }));
  const of = (status: Point['status']) => (series.paretoTrials ?? []).filter((p) => p.status === status).map((p) => ({ x: p.x, y: p.y }));
  const dots = (label: string, data: Array<{ x: number; y: number }>, color: string, filled: boolean): ChartDataset<'line', Array<{ x: number; y: number }>> => ({
    label,
    data,
    showLine: false,
    pointRadius: 3,
    borderColor: color,
    backgroundColor: filled ? color : 'transparent',
  });
  pareto = new Chart($<HTMLCanvasElement>('pareto'), {
    type: 'line',
    data: {
      // Chart.js draws later datasets on top: every trial first, then the front over them.
      datasets: [
        dots('Kept', of('kept'), colors.kept, true),
        dots('Reverted', of('reverted'), colors.reverted, false),
        { label: 'Pareto front', data: front, borderColor: colors.best, pointRadius: 5, backgroundColor: colors.best },
      ],
    },
    options: { animation: false, parsing: false, responsive: true, maintainAspectRatio: false, scales: { x: { type: 'linear', title: { display: true, text: 'metric 1', color: colors.foreground } }, y: { title: { display: true, text: 'metric 2', color: colors.foreground } } } },
  });
  document.body.dataset.paretoTrials = String(series.paretoTrials?.length ?? 0);
}

function render(keep?: View): void {
  if (!current) return;
  Chart.defaults.font.family = themeFonts().ui;
  const { series } = current;
  const points = visiblePoints(series);
  if (series.numeric) drawScores(series, keep);
  else drawCounts(series);
  drawPareto(series);
  table.setRows(points, current.diffLines);
  const numeric = points.filter((p) => p.y !== undefined).length;
  const noise = current.samples?.noise ? ' · shaded: the baseline\'s noise (median ± 1 sd); whiskers: a trial\'s middle half of measurements' : '';
  $('summary').textContent = `${points.length} trial(s) · ${series.runs.length} run(s) · metric ${series.metric ?? 'none (status only)'}${noise}`;
  // What a test or a screen reader can read without looking at pixels.
  const colors = themeColors();
  Object.assign(document.body.dataset, {
    state: 'ready',
    kind: series.numeric ? 'scores' : 'counts',
    points: String(numeric),
    bestSteps: String(series.best.length),
    colors: JSON.stringify({ kept: colors.kept, reverted: colors.reverted, error: colors.error, best: colors.best }),
  });
}

function fillRunSelector(series: ChartSeriesMessage): void {
  const select = $<HTMLSelectElement>('run');
  const wanted = String(selectedRun);
  select.replaceChildren(new Option('All runs', 'all'), ...series.runs.map((r) => new Option(`Run ${r.index + 1} · ${r.id}`, String(r.index))));
  select.value = Array.from(select.options).some((o) => o.value === wanted) ? wanted : 'all';
  selectedRun = select.value === 'all' ? 'all' : Number(select.value);
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = ToWebview.safeParse(event.data);
  if (!parsed.success) {
    post({ type: 'invalid', issue: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) });
    return;
  }
  const message = parsed.data;
  if (message.type === 'append') {
    // Only the new rows travel; anything out of step asks for the whole series again.
    if (!current || message.from !== current.series.points.length) return post({ type: 'ready' });
    const points = current.series.points.concat(message.series.points);
    current = { ...current, series: { ...message.series, points }, diffLines: new Set(message.diffLines), samples: message.samples };
    if (message.series.runs.length !== $<HTMLSelectElement>('run').options.length - 1) fillRunSelector(current.series);
    render();
    return;
  }
  $('title').textContent = `Results: ${message.pack}`;
  $('error').textContent = message.error ?? '';
  current = { pack: message.pack, series: message.series, diffLines: new Set(message.diffLines), samples: message.samples };
  fillRunSelector(message.series);
  render();
});

$<HTMLSelectElement>('run').addEventListener('change', (e) => {
  const value = (e.target as HTMLSelectElement).value;
  selectedRun = value === 'all' ? 'all' : Number(value);
  chart?.destroy();
  chart = undefined;
  render();
});
$('export-png').addEventListener('click', () => chart && post({ type: 'exportPng', dataUrl: chart.toBase64Image('image/png') }));
$('export-csv').addEventListener('click', () => post({ type: 'exportTable', format: 'csv' }));
$('export-md').addEventListener('click', () => post({ type: 'exportTable', format: 'md' }));

$('reset-zoom').addEventListener('click', () => {
  if (!chart || chartKind !== 'scores') return;
  // The plugin restores the range it saw when the zoom began; the series may have grown since.
  chart.resetZoom('none');
  if (current) showHome(chart, current.series);
  chart.update('none');
  showZoomState();
});

// A theme change swaps the body's class: redraw with the new colours, in the same view.
new MutationObserver(() => {
  const keep = viewOf(chart);
  chart?.destroy();
  chart = undefined;
  render(keep);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

post({ type: 'ready' });
