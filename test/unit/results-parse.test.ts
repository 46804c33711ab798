/** The results parser on every real log in test/fixtures/real-logs (read as they are), then on small inline logs. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseResults } from '../../src/core/results/parse';

const LOGS = new URL('../fixtures/real-logs/', import.meta.url);
const real = (name: string) => parseResults(readFileSync(new URL(name, LOGS), 'utf8'), name);
const parse = (text: string) => parseResults(text, '/p/results.tsv');
const HEADER = 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n';

describe('real logs', () => {
  test('every real log is covered below and parses without throwing', () => {
    const names = readdirSync(fileURLToPath(LOGS)).filter((n) => n.endsWith('.tsv')).sort();
    assert.deepEqual(names, [
      'atris-daily.tsv',
      'atris-endstate-baseline.tsv',
      'atris-kernel-prompt-discipline.tsv',
      'atris-smoke-keep-revert.tsv',
      'atris-taste-loop.tsv',
      'codex-autoresearch-exec-marker.tsv',
      'karpathy-autoresearch-h100-mar8.tsv',
      'swarlo-worker-routing.tsv',
    ]);
    for (const name of names) assert.deepEqual(real(name).problems, [], name);
  });

  test('karpathy/autoresearch: 126 trials, val_bpb lower is better, the crash has no score', () => {
    const log = real('karpathy-autoresearch-h100-mar8.tsv');
    assert.equal(log.trials.length, 126);
    assert.equal(log.runs.length, 1);
    assert.deepEqual(log.counts, { kept: 23, reverted: 102, error: 1, baseline: 0, unknown: 0 });
    assert.equal(log.trials.filter((t) => t.statusWord === 'keep').length, 23);
    assert.equal(log.trials.filter((t) => t.statusWord === 'discard').length, 102);
    assert.deepEqual(log.columns, { commit: 'commit', score: 'val_bpb', status: 'status', description: 'description' });
    assert.equal(log.metric, 'val_bpb');
    assert.equal(log.direction, 'lower');
    assert.equal(log.directionSource, 'metric-name');
    assert.equal(log.baseline, 0.9979);
    assert.deepEqual(log.best, { score: 0.969686, trial: 118 });
    assert.equal(log.trials[118].commit, '438a26e');
    assert.equal(log.trials[118].line, 120);
    const first = log.trials[0];
    assert.deepEqual([first.commit, first.status, first.statusWord, first.score, first.number, first.line], ['baseline', 'kept', 'keep', 0.9979, 1, 2]);
    const crashes = log.trials.filter((t) => t.status === 'error');
    assert.equal(crashes.length, 1);
    const [crash] = crashes;
    assert.deepEqual([crash.index, crash.commit, crash.statusWord, crash.line], [15, 'e05a87d', 'crash', 17]);
    assert.equal(crash.score, undefined, 'the 0.000000 placeholder is not a score');
    assert.equal(crash.description, 'batch 131K (assert fail: not divisible by device batch)');
    assert.equal(log.trials[1].score, 0.986041);
  });

  test('atris taste-loop: 3 runs of 3 trials, 4 modalities each, the aggregate is the score', () => {
    const log = real('atris-taste-loop.tsv');
    assert.equal(log.trials.length, 9);
    assert.deepEqual(
      log.runs.map((r) => [r.id, r.trials.length]),
      [
        ['20260717T023206Z', 3],
        ['20260717T023316Z', 3],
        ['20260717T023557Z', 3],
      ],
    );
    for (const t of log.trials) assert.deepEqual(Object.keys(t.modalities!), ['writing', 'website', 'video_prompt', 'aggregate']);
    for (const run of log.runs) {
      assert.deepEqual(
        run.trials.map((t) => [t.number, t.status, t.score]),
        [
          [0, 'baseline', 0],
          [1, 'reverted', 0.3333],
          [2, 'kept', 1],
        ],
      );
    }
    const regression = log.trials[1];
    assert.deepEqual(regression.modalities, { writing: 1, website: 0, video_prompt: 0, aggregate: 0.3333 });
    assert.deepEqual([regression.oldScore, regression.proposal, regression.line], [0, 'regression.py', 6]);
    const baseline = log.trials[0];
    assert.deepEqual([baseline.oldScore, baseline.proposal, baseline.description, baseline.line], [undefined, undefined, 'frozen baseline', 2]);
    assert.deepEqual(log.counts, { kept: 3, reverted: 3, error: 0, baseline: 3, unknown: 0 });
    assert.equal(log.baseline, 0);
    assert.deepEqual(log.best, { score: 1, trial: 2 });
    assert.equal(log.columns.run, 'run');
    assert.equal(log.columns.modality, 'modality');
  });

  test('atris smoke-keep-revert (LF header, CRLF rows): 5 runs of 2 trials', () => {
    const text = readFileSync(new URL('atris-smoke-keep-revert.tsv', LOGS), 'utf8');
    assert.ok(text.includes('\r\n') && /^[^\r]*\n/.test(text), 'the fixture mixes line endings');
    const log = real('atris-smoke-keep-revert.tsv');
    assert.deepEqual(
      log.runs.map((r) => [r.id, r.trials.map((t) => t.number)]),
      [1, 2, 3, 4, 5].map((n) => [`run ${n}`, [1, 2]]),
    );
    assert.deepEqual(log.counts, { kept: 5, reverted: 5, error: 0, baseline: 0, unknown: 0 });
    assert.equal(log.baseline, 0.2);
    assert.deepEqual(log.best, { score: 1, trial: 1 });
    assert.equal(log.direction, 'higher');
    assert.equal(log.directionSource, 'default');
    assert.equal(log.metric, 'new_score');
    const fix = log.trials[1];
    assert.deepEqual([fix.status, fix.oldScore, fix.score, fix.proposal, fix.description], ['kept', 0.2, 1, 'fix_patch.py', 'applied good proposal']);
    assert.equal(fix.timestamp, '2026-03-11T11:05:17.920737+00:00');
    assert.ok(log.trials.every((t) => !t.description!.includes('\r')), 'no carriage return left in a cell');
  });

  test('swarlo worker-routing and kernel-prompt-discipline: runs found by restarting trial numbers', () => {
    const swarlo = real('swarlo-worker-routing.tsv');
    assert.deepEqual(
      swarlo.runs.map((r) => r.trials.map((t) => t.score)),
      [
        [0.5, 0.875],
        [0.5, 1],
      ],
    );
    assert.deepEqual(swarlo.best, { score: 1, trial: 3 });
    const kernel = real('atris-kernel-prompt-discipline.tsv');
    assert.deepEqual(
      kernel.runs.map((r) => r.trials.map((t) => t.number)),
      [
        [1, 2],
        [1, 2, 3],
        [1, 2, 3],
      ],
    );
    const dropped = kernel.trials[0];
    assert.deepEqual([dropped.status, dropped.oldScore, dropped.score], ['reverted', 0.2799, 0.0857]);
    assert.equal(kernel.baseline, 0.2799);
  });

  test('codex-autoresearch: # metric_direction: lower, the metric column, iteration numbers', () => {
    const log = real('codex-autoresearch-exec-marker.tsv');
    assert.deepEqual(log.meta, { metric_direction: 'lower', mode: 'loop' });
    assert.equal(log.direction, 'lower');
    assert.equal(log.directionSource, 'meta');
    assert.equal(log.metric, 'metric');
    assert.equal(log.columns.trial, 'iteration');
    assert.deepEqual(log.header, ['iteration', 'commit', 'metric', 'delta', 'guard', 'status', 'description']);
    assert.deepEqual(
      log.trials.map((t) => [t.number, t.status, t.statusWord, t.score, t.commit, t.line]),
      [
        [0, 'baseline', 'baseline', 3, 'prevbase', 4],
        [1, 'kept', 'keep', 2, 'prevkeep', 5],
      ],
    );
    assert.equal(log.baseline, 3);
    assert.deepEqual(log.best, { score: 2, trial: 1 });
  });

  test('atris daily: no score at all, decision is the status, experiment_id the proposal', () => {
    const log = real('atris-daily.tsv');
    assert.equal(log.metric, undefined);
    assert.equal(log.columns.score, undefined);
    assert.equal(log.columns.status, 'decision');
    assert.equal(log.columns.proposal, 'experiment_id');
    assert.equal(log.columns.description, 'note');
    assert.deepEqual(
      log.trials.map((t) => [t.status, t.statusWord, t.score]),
      [
        ['reverted', 'reverted', undefined],
        ['reverted', 'reverted', undefined],
        ['kept', 'kept', undefined],
      ],
    );
    assert.equal(log.trials[2].proposal, 'autopilot-phase-altitude');
    assert.deepEqual(log.counts, { kept: 1, reverted: 2, error: 0, baseline: 0, unknown: 0 });
    assert.equal(log.baseline, undefined);
    assert.equal(log.best, undefined);
    assert.equal(log.direction, 'higher');
  });

  test('atris endstate-baseline: header only, 0 trials, no problems', () => {
    const log = real('atris-endstate-baseline.tsv');
    assert.equal(log.trials.length, 0);
    assert.equal(log.runs.length, 0);
    assert.equal(log.header.length, 11);
    assert.equal(log.metric, 'score');
    assert.equal(log.columns.description, 'notes');
    assert.deepEqual(log.counts, { kept: 0, reverted: 0, error: 0, baseline: 0, unknown: 0 });
    assert.equal(log.baseline, undefined);
    assert.equal(log.best, undefined);
    assert.deepEqual(log.problems, []);
  });
});

describe('inline logs: bad input is a problem, never a throw', () => {
  test('a BOM and blank lines (also blank lines of spaces and tabs)', () => {
    const log = parse(`\uFEFF${HEADER}\n \t \n2026-01-01\t1\tkept\t0.1\t0.2\ta.py\tx\n\n`);
    assert.deepEqual(log.header[0], 'timestamp');
    assert.equal(log.columns.timestamp, 'timestamp');
    assert.equal(log.trials.length, 1);
    assert.equal(log.trials[0].line, 4);
    assert.equal(log.trials[0].score, 0.2);
    assert.deepEqual(log.problems, []);
  });

  test('CRLF, a lone CR and a missing final newline', () => {
    const log = parse(`${HEADER.replace('\n', '\r\n')}2026\t1\tkept\t0.1\t0.2\ta.py\tdone\r2026\t2\treverted\t0.2\t0.1\tb.py\tlast`);
    assert.deepEqual(
      log.trials.map((t) => [t.line, t.description]),
      [
        [2, 'done'],
        [3, 'last'],
      ],
    );
    assert.deepEqual(log.problems, []);
  });

  test('a ragged row is a problem on its line, and still read', () => {
    const log = parse(`${HEADER}2026\t1\tkept\t0.1\n2026\t2\treverted\t0.1\t0.05\tb.py\tx\textra\n`);
    assert.deepEqual(
      log.problems.map((p) => [p.rule, p.severity, p.line, p.column, p.endLine, p.endColumn, p.file]),
      [
        ['results-ragged-row', 'warning', 2, 1, 2, 16, '/p/results.tsv'],
        ['results-ragged-row', 'warning', 3, 33, 3, 38, '/p/results.tsv'],
      ],
    );
    assert.equal(log.problems[0].message, 'row has 4 cells; the header has 7');
    assert.deepEqual(
      log.trials.map((t) => [t.status, t.oldScore, t.score, t.proposal]),
      [
        ['kept', 0.1, undefined, undefined],
        ['reverted', 0.1, 0.05, 'b.py'],
      ],
    );
  });

  test('a non-numeric score: its line and the column of its cell', () => {
    const log = parse(`${HEADER}2026\t1\tkept\t0.1\tabc\ta.py\tx\n2026\t2\treverted\t0.1\t\tb.py\ty\n`);
    assert.deepEqual(
      log.problems.map((p) => [p.rule, p.line, p.column, p.endColumn, p.message]),
      [
        ['results-bad-score', 2, 17, 20, 'new_score "abc" is not a number'],
        ['results-bad-score', 3, 21, 21, 'new_score is empty'],
      ],
    );
    assert.deepEqual(
      log.trials.map((t) => t.score),
      [undefined, undefined],
    );
    assert.equal(log.best, undefined, 'a kept trial without a score is never the best');
  });

  test('a bad old_score is a problem too; an empty or N/A old_score is not', () => {
    const log = parse(`${HEADER}2026\t0\tbaseline\t\t0.3\t\tbase\n2026\t1\tkept\tN/A\t0.4\ta.py\tx\n2026\t2\tkept\tzero\t0.5\tb.py\ty\n`);
    assert.deepEqual(
      log.problems.map((p) => [p.rule, p.line, p.column, p.message]),
      [['results-bad-score', 4, 13, 'old_score "zero" is not a number']],
    );
    assert.deepEqual(
      log.trials.map((t) => t.oldScore),
      [undefined, undefined, undefined],
    );
    assert.equal(log.baseline, 0.3, 'the first trial is a baseline: its score');
  });

  test('an unknown status word is kept as written, status undefined, with a warning', () => {
    const log = parse(`${HEADER}2026\t1\tmaybe\t0.1\t0.2\ta.py\tx\n2026\t2\t\t0.1\t0.3\tb.py\ty\n2026\t3\tKEEP\t0.1\t0.4\tc.py\tz\n`);
    assert.deepEqual(
      log.trials.map((t) => [t.status, t.statusWord]),
      [
        [undefined, 'maybe'],
        [undefined, ''],
        ['kept', 'KEEP'],
      ],
    );
    assert.deepEqual(log.counts, { kept: 1, reverted: 0, error: 0, baseline: 0, unknown: 2 });
    assert.deepEqual(
      log.problems.map((p) => [p.rule, p.severity, p.line, p.column, p.endColumn]),
      [
        ['results-unknown-status', 'warning', 2, 8, 13],
        ['results-unknown-status', 'warning', 3, 8, 8],
      ],
    );
    assert.match(log.problems[0].message, /unknown status "maybe"/);
    assert.deepEqual(log.best, { score: 0.4, trial: 2 }, 'unknown statuses never count as kept');
  });

  test('status words: every spelling the loops write', () => {
    const words = ['kept', 'keep', 'accept', 'accepted', 'improved', 'reverted', 'revert', 'discard', 'discarded', 'rejected', 'reject'];
    words.push('error', 'crash', 'crashed', 'failed', 'fail', 'timeout', 'interrupted', 'baseline');
    const log = parse(`commit\tstatus\n${words.map((w, i) => `c${i}\t${w}\n`).join('')}`);
    assert.deepEqual(
      log.trials.map((t) => t.status),
      [...Array(5).fill('kept'), ...Array(6).fill('reverted'), ...Array(7).fill('error'), 'baseline'],
    );
    assert.deepEqual(log.problems, []);
  });

  test('a crash row: 0.000000, N/A or nothing is never a score, a problem or a best', () => {
    const log = parse(
      'commit\tmetric\tstatus\tdescription\nbase\t0.5\tkeep\tbaseline\nabc\tN/A\tcrash\toom\ndef\t0.000000\tcrash\tassert\nghi\t\tcrash\tkilled\njkl\t9\ttimeout\tslow\n',
    );
    assert.deepEqual(log.problems, []);
    assert.deepEqual(
      log.trials.map((t) => t.score),
      [0.5, undefined, undefined, undefined, undefined],
    );
    assert.deepEqual(log.counts, { kept: 1, reverted: 0, error: 4, baseline: 0, unknown: 0 });
    assert.deepEqual(log.best, { score: 0.5, trial: 0 });
    assert.equal(log.metric, 'metric');
  });

  test('N/A on a kept row is a bad score', () => {
    const log = parse('commit\tmetric\tstatus\tdescription\nabc\tN/A\tkeep\tx\n');
    assert.deepEqual(
      log.problems.map((p) => [p.rule, p.line, p.column, p.endColumn]),
      [['results-bad-score', 2, 5, 8]],
    );
  });

  test('two metrics: metric_1 is the score, metric_2 the second one', () => {
    const log = parse('commit\tmetric_1\tmetric_2\tstatus\tdescription\na\t0.8\t120\tkeep\tx\nb\t0.85\t140\tkeep\ty\nc\t0.7\t90\tdiscard\tz\nd\tN/A\tN/A\tcrash\tw\n');
    assert.equal(log.metric, 'metric_1');
    assert.deepEqual(log.columns, { commit: 'commit', score: 'metric_1', score2: 'metric_2', status: 'status', description: 'description' });
    assert.deepEqual(
      log.trials.map((t) => [t.score, t.score2]),
      [
        [0.8, 120],
        [0.85, 140],
        [0.7, 90],
        [undefined, undefined],
      ],
    );
    assert.equal(log.direction, 'higher');
    assert.deepEqual(log.best, { score: 0.85, trial: 1 });
    assert.deepEqual(log.problems, []);
  });

  test('trial numbers that restart start new runs; a run column wins over them', () => {
    const restart = parse(`${HEADER}t\t1\tkept\t0.1\t0.2\ta\tx\nt\t2\treverted\t0.2\t0.1\tb\tx\nt\t2\tkept\t0.1\t0.3\tc\tx\nt\t1\tkept\t0.1\t0.4\td\tx\nt\t5\tkept\t0.4\t0.5\te\tx\n`);
    assert.deepEqual(
      restart.runs.map((r) => [r.index, r.id, r.trials.map((t) => [t.number, t.run])]),
      [
        [0, 'run 1', [[1, 0], [2, 0]]],
        [1, 'run 2', [[2, 1]]],
        [2, 'run 3', [[1, 2], [5, 2]]],
      ],
    );
    assert.deepEqual(restart.trials.map((t) => t.index), [0, 1, 2, 3, 4]);
    const withRuns = parse('run\ttrial\tstatus\tscore\na\t1\tkept\t1\na\t1\tkept\t2\nb\t1\tkept\t3\na\t2\tkept\t4\n');
    assert.deepEqual(
      withRuns.runs.map((r) => [r.id, r.trials.length]),
      [
        ['a', 2],
        ['b', 1],
        ['a', 1],
      ],
    );
    const neither = parse('commit\tscore\tstatus\nx\t1\tkept\ny\t2\tkept\n');
    assert.deepEqual(
      neither.runs.map((r) => [r.id, r.trials.map((t) => t.number)]),
      [['run 1', [1, 2]]],
    );
  });

  test('modalities without an aggregate row: the mean of their scores', () => {
    const log = parse('trial\tmodality\tstatus\tnew_score\n1\ta\tkept\t1\n1\tb\tkept\t0\n1\tc\tkept\t\n2\ta\treverted\t0.5\n');
    assert.deepEqual(
      log.trials.map((t) => [t.number, t.status, t.score, t.modalities]),
      [
        [1, 'kept', 0.5, { a: 1, b: 0, c: undefined }],
        [2, 'reverted', 0.5, { a: 0.5 }],
      ],
    );
    assert.deepEqual(
      log.problems.map((p) => [p.rule, p.line]),
      [['results-bad-score', 4]],
    );
  });

  test('a modality that repeats within one trial number starts a new trial', () => {
    const log = parse('trial\tmodality\tstatus\tnew_score\n1\ta\tkept\t1\n1\taggregate\tkept\t2\n1\ta\tkept\t3\n');
    assert.deepEqual(
      log.trials.map((t) => [t.run, t.score]),
      [
        [0, 2],
        [1, 3],
      ],
    );
  });

  test('no header: a problem on line 1, then the rows are read as the canonical dialect', () => {
    const log = parse('2026-01-01\t1\tkept\t0.1\t0.2\ta.py\tx\n2026-01-01\t2\treverted\t0.2\t0.1\tb.py\ty\n');
    assert.deepEqual(
      log.problems.map((p) => [p.rule, p.severity, p.line, p.column]),
      [['results-no-header', 'error', 1, 1]],
    );
    assert.deepEqual(
      log.trials.map((t) => [t.line, t.status, t.score]),
      [
        [1, 'kept', 0.2],
        [2, 'reverted', 0.1],
      ],
    );
  });

  test('an empty file, only blank lines, only comments: no header', () => {
    for (const text of ['', '\n\r\n', '\uFEFF', '# metric_direction: lower\n']) {
      const log = parse(text);
      assert.deepEqual(
        log.problems.map((p) => [p.rule, p.line, p.column]),
        [['results-no-header', 1, 1]],
        JSON.stringify(text),
      );
      assert.equal(log.trials.length, 0);
      assert.deepEqual(log.header, []);
    }
    assert.equal(parse('# metric_direction: lower\n').direction, 'lower');
  });

  test('direction: meta wins, then the metric name, then higher', () => {
    assert.deepEqual(
      [parse('# direction: higher\ncommit\tloss\tstatus\n'), parse('commit\ttrain_loss\tstatus\n'), parse('commit\tlatency_ms\tstatus\n'), parse('commit\taccuracy\tstatus\n')].map((l) => [
        l.metric,
        l.direction,
        l.directionSource,
      ]),
      [
        ['loss', 'higher', 'meta'],
        ['train_loss', 'lower', 'metric-name'],
        ['latency_ms', 'lower', 'metric-name'],
        ['accuracy', 'higher', 'default'],
      ],
    );
  });

  test('the named metric: the first mostly numeric column that is not bookkeeping', () => {
    const log = parse('commit\tstep\tmemory_gb\tdelta\tthroughput\tstatus\na\t1\t40\t0\t100\tkeep\nb\t2\t41\t1\tN/A\tkeep\nc\t3\t42\t1\t120\tkeep\n');
    assert.equal(log.metric, 'throughput');
    assert.deepEqual(
      log.trials.map((t) => t.score),
      [100, undefined, 120],
    );
    assert.equal(parse('name\tcomment\tstatus\na\tb\tkeep\n').metric, undefined);
  });

  test('column names are case-insensitive and trimmed; cells are trimmed', () => {
    const log = parse(' Trial \tSTATUS\tNew_Score\tProposal\n 1 \t kept \t 0.5 \t a.py \n');
    assert.deepEqual(log.columns, { trial: 'Trial', status: 'STATUS', score: 'New_Score', proposal: 'Proposal' });
    assert.deepEqual(
      log.trials.map((t) => [t.number, t.status, t.statusWord, t.score, t.proposal]),
      [[1, 'kept', 'kept', 0.5, 'a.py']],
    );
  });

  test('numbers: decimal only (no hex, no Infinity), exponents and signs are fine', () => {
    const log = parse(`commit\tscore\tstatus\n${['1e-3', '-2.5', '+.5', '0x10', 'Infinity', '1,5', '12345678901234567890'].map((s) => `c\t${s}\tkeep\n`).join('')}`);
    assert.deepEqual(
      log.trials.map((t) => t.score),
      [0.001, -2.5, 0.5, undefined, undefined, undefined, 12345678901234567890],
    );
    assert.equal(log.problems.length, 3);
  });

  test('a mangled text never throws and every problem has a 1-based position', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pieces = ['\t', '\n', '\r', '\r\n', '#', ' ', 'kept', 'crash', 'trial', 'status', 'score', 'modality', 'aggregate', 'run', '1', '0.5', 'N/A', '-', '__proto__', '\uFEFF'];
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const length = Math.floor(random() * 60);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      const log = parse(text);
      for (const p of log.problems) assert.ok(p.line >= 1 && p.column >= 1 && (p.endColumn ?? p.column) >= p.column, JSON.stringify({ text, p }));
      assert.equal(log.trials.length, log.runs.reduce((n, r) => n + r.trials.length, 0));
    }
  });

  test('problems are capped per rule, with one summary of the rest', () => {
    const log = parse(`${HEADER}${'x\n'.repeat(1500)}`);
    assert.equal(log.trials.length, 1500);
    assert.equal(log.problems.length, 1001);
    assert.deepEqual(
      [log.problems[1000].rule, log.problems[1000].severity, log.problems[1000].line],
      ['results-ragged-row', 'info', 1002],
    );
    assert.match(log.problems[1000].message, /^500 more rows/);
  });
});
