/**
 * Chart.js plugins of the results chart: run boundaries, arrows for points outside the view, and a
 * record in the page of where each trial's point was drawn.
 */
import type { Chart, ChartDataset, Plugin } from 'chart.js';
import type { ChartSeriesMessage } from '../../src/shared/chartMessages';

type Point = ChartSeriesMessage['points'][number];
export type XYPoint = { x: number; y: number; point?: Point };

/** The datasets of trial points (kept, reverted, error), as opposed to lines. */
export const isTrialSet = (set: ChartDataset) => (set as { showLine?: boolean }).showLine === false;

/** Vertical dashed lines where each run after the first starts. */
export function runBoundaries(xs: () => number[], color: () => string): Plugin<'line'> {
  return {
    id: 'autoexpRunBoundaries',
    afterDatasetsDraw(c) {
      const { ctx, chartArea, scales } = c;
      ctx.save();
      ctx.strokeStyle = color();
      ctx.setLineDash([2, 3]);
      for (const x of xs()) {
        const px = scales.x.getPixelForValue(x - 0.5);
        ctx.beginPath();
        ctx.moveTo(px, chartArea.top);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}

/** Trial points above or below the view (a clipped long log, or a zoom), each with its x in view. */
function outside(c: Chart): Array<{ x: number; above: boolean; color: string }> {
  const { x, y } = c.scales;
  return c.data.datasets.filter(isTrialSet).flatMap((set) =>
    (set.data as XYPoint[])
      .filter((p) => p.x >= x.min && p.x <= x.max && (p.y < y.min || p.y > y.max))
      .map((p) => ({ x: p.x, above: p.y > y.max, color: String(set.borderColor) })),
  );
}

/** A small arrow at the top or bottom edge, in the point's colour, where a point lies beyond it. */
export const edgeArrows: Plugin<'line'> = {
  id: 'autoexpEdgeArrows',
  afterDatasetsDraw(c) {
    const { ctx, chartArea, scales } = c;
    const marks = outside(c);
    ctx.save();
    for (const mark of marks) {
      const px = scales.x.getPixelForValue(mark.x);
      const edge = mark.above ? chartArea.top : chartArea.bottom;
      const tip = mark.above ? edge - 1 : edge + 1;
      const base = mark.above ? edge + 7 : edge - 7;
      ctx.fillStyle = mark.color;
      ctx.beginPath();
      ctx.moveTo(px, tip);
      ctx.lineTo(px - 5, base);
      ctx.lineTo(px + 5, base);
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
    document.body.dataset.outside = String(marks.length);
  },
};

/**
 * Where each trial's point was drawn, in the canvas's CSS pixels, and whether it lies in the plot
 * area: what a test or a screen reader can check without reading pixels.
 */
export const drawnMarks: Plugin<'line'> = {
  id: 'autoexpDrawnMarks',
  afterRender(c) {
    const { chartArea: area } = c;
    const marks = c.data.datasets.flatMap((set, i) => {
      if (!isTrialSet(set)) return [];
      return c.getDatasetMeta(i).data.map((element, j) => {
        const p = (set.data[j] as XYPoint).point!;
        const inside = element.x >= area.left && element.x <= area.right && element.y >= area.top && element.y <= area.bottom;
        return { trial: p.trial, line: p.line, status: p.status, x: Math.round(element.x), y: Math.round(element.y), inside };
      });
    });
    marks.sort((a, b) => a.x - b.x);
    const first = marks[0];
    const baseline = (c.data.datasets.find((set) => set.label === 'Baseline')?.data[0] as XYPoint | undefined)?.y;
    Object.assign(document.body.dataset, {
      marks: JSON.stringify(marks),
      firstX: first ? String(Math.round(c.scales.x.getValueForPixel(first.x)! * 100) / 100) : '',
      baselineY: baseline === undefined ? '' : String(Math.round(c.scales.y.getPixelForValue(baseline))),
    });
  },
};

type Samples = NonNullable<import('../../src/shared/chartMessages').SamplesMessage>;

/**
 * Repeated measurements: the baseline's noise band (median ± one standard deviation) shaded behind
 * the points, and a whisker over each measured trial's interquartile range. What was drawn goes into
 * the page's data attributes, for tests and screen readers.
 */
export function sampleMarks(samples: () => Samples | undefined, lines: () => Map<number, number>, colors: () => { band: string; whisker: string }): Plugin<'line'> {
  return {
    id: 'autoexpSampleMarks',
    beforeDatasetsDraw(c) {
      const noise = samples()?.noise;
      document.body.dataset.noiseBand = noise ? `${noise.low.toFixed(4)}..${noise.high.toFixed(4)}` : '';
      if (!noise) return;
      const { ctx, chartArea, scales } = c;
      const top = Math.max(chartArea.top, scales.y.getPixelForValue(noise.high));
      const bottom = Math.min(chartArea.bottom, scales.y.getPixelForValue(noise.low));
      if (bottom <= top) return;
      ctx.save();
      ctx.fillStyle = colors().band;
      ctx.fillRect(chartArea.left, top, chartArea.right - chartArea.left, bottom - top);
      ctx.restore();
    },
    afterDatasetsDraw(c) {
      const { ctx, chartArea, scales } = c;
      const xOfLine = lines();
      const drawn: number[] = [];
      ctx.save();
      ctx.strokeStyle = colors().whisker;
      ctx.lineWidth = 1;
      for (const spread of samples()?.spreads ?? []) {
        const x = xOfLine.get(spread.line);
        if (x === undefined || x < scales.x.min || x > scales.x.max) continue;
        const px = scales.x.getPixelForValue(x);
        const clamp = (v: number) => Math.min(chartArea.bottom, Math.max(chartArea.top, scales.y.getPixelForValue(v)));
        const [high, low] = [clamp(spread.high), clamp(spread.low)];
        ctx.beginPath();
        ctx.moveTo(px, high);
        ctx.lineTo(px, low);
        for (const y of [high, low]) {
          ctx.moveTo(px - 4, y);
          ctx.lineTo(px + 4, y);
        }
        ctx.stroke();
        drawn.push(spread.line);
      }
      ctx.restore();
      document.body.dataset.whiskers = JSON.stringify(drawn);
    },
  };
}
