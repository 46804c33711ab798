/**
 * The trial table under the chart: sortable by column, and virtual (only the rows in view exist in
 * the page), so 10,000 trials scroll as smoothly as ten. Every cell is set with textContent.
 */
import type { ChartSeriesMessage } from '../../src/shared/chartMessages';

type Point = ChartSeriesMessage['points'][number];
type Column = { key: string; title: string; cell: (p: Point) => string; sort: (p: Point) => number | string };

const ROW_HEIGHT = 22;
const fmt = (n: number | undefined) => (n === undefined ? '' : n.toFixed(4));

const COLUMNS: Column[] = [
  { key: 'trial', title: 'Trial', cell: (p) => String(p.trial), sort: (p) => p.x },
  { key: 'status', title: 'Status', cell: (p) => p.status, sort: (p) => p.status },
  { key: 'old', title: 'Old', cell: (p) => fmt(p.oldScore), sort: (p) => p.oldScore ?? -Infinity },
  { key: 'score', title: 'Score', cell: (p) => fmt(p.y), sort: (p) => p.y ?? -Infinity },
  { key: 'proposal', title: 'Proposal', cell: (p) => p.proposal ?? '', sort: (p) => p.proposal ?? '' },
  { key: 'description', title: 'Description', cell: (p) => p.description ?? '', sort: (p) => p.description ?? '' },
];

export class TrialTable {
  private rows: Point[] = [];
  private diffLines = new Set<number>();
  private sortKey = 'trial';
  private ascending = true;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly open: (line: number) => void,
  ) {
    const header = document.createElement('div');
    header.className = 'row header';
    header.setAttribute('role', 'row');
    for (const column of COLUMNS) {
      const button = document.createElement('button');
      button.textContent = column.title;
      button.setAttribute('role', 'columnheader');
      button.addEventListener('click', () => this.sortBy(column.key));
      header.append(button);
    }
    this.viewport = document.createElement('div');
    this.viewport.className = 'viewport';
    this.spacer = document.createElement('div');
    this.body = document.createElement('div');
    this.body.className = 'rows';
    this.viewport.append(this.spacer, this.body);
    this.viewport.addEventListener('scroll', () => this.paint());
    root.setAttribute('role', 'table');
    root.replaceChildren(header, this.viewport);
  }

  setRows(points: Point[], diffLines: Set<number>): void {
    this.rows = points;
    this.diffLines = diffLines;
    this.sort();
    this.paint();
  }

  private sortBy(key: string): void {
    this.ascending = this.sortKey === key ? !this.ascending : true;
    this.sortKey = key;
    this.sort();
    this.paint();
  }

  private sort(): void {
    // Points arrive in trial order: the default order needs no sort, which matters at 100,000 rows.
    if (this.sortKey === 'trial' && this.ascending) return;
    const column = COLUMNS.find((c) => c.key === this.sortKey)!;
    const sign = this.ascending ? 1 : -1;
    this.rows = [...this.rows].sort((a, b) => {
      const x = column.sort(a);
      const y = column.sort(b);
      return (x < y ? -1 : x > y ? 1 : a.x - b.x) * sign;
    });
  }

  /** Only the rows in view, positioned in a spacer as tall as all of them. */
  private paint(): void {
    this.spacer.style.height = `${this.rows.length * ROW_HEIGHT}px`;
    const first = Math.floor(this.viewport.scrollTop / ROW_HEIGHT);
    const count = Math.ceil(this.viewport.clientHeight / ROW_HEIGHT) + 2;
    const rows = this.rows.slice(first, first + count).map((p, i) => this.row(p, first + i));
    this.body.replaceChildren(...rows);
  }

  private row(p: Point, index: number): HTMLElement {
    const row = document.createElement('div');
    row.className = `row ${p.status}`;
    row.setAttribute('role', 'row');
    row.style.top = `${index * ROW_HEIGHT}px`;
    for (const column of COLUMNS) {
      const cell = document.createElement('span');
      cell.setAttribute('role', 'cell');
      cell.textContent = column.cell(p);
      row.append(cell);
    }
    if (this.diffLines.has(p.line)) {
      row.tabIndex = 0;
      row.title = 'Open the diff of this trial';
      row.classList.add('has-diff');
      row.addEventListener('click', () => this.open(p.line));
      row.addEventListener('keydown', (e) => e.key === 'Enter' && this.open(p.line));
    }
    return row;
  }
}
