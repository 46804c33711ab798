/** Language server figures, over the same in-process LSP connection the tests use. */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CANONICAL_HEADER } from '../src/core/packFormat';
import { startServer } from '../test/unit/lspHarness';
import { generatePackTree } from './generate';
import { median } from './median';

/** A log of just under 64,000 bytes in the canonical dialect. */
function log64k(): string {
  let text = `${CANONICAL_HEADER.join('\t')}\n`;
  for (let i = 1; ; i++) {
    const row = `2026-03-11T11:05:${String(i % 60).padStart(2, '0')}.000000+00:00\t${i}\t${i % 3 ? 'reverted' : 'kept'}\t0.2000\t0.${String(i).padStart(4, '0')}\tproposal_${i}.py\tapplied proposal ${i}\n`;
    if (text.length + row.length > 63_900) return text;
    text += row;
  }
}

export async function serverFigures(scratch: string, figure: (name: string, value: number, unit: string) => void): Promise<void> {
  const one = generatePackTree(path.join(scratch, 'one'), 1);
  const pack = path.join(one, 'atris', 'experiments', 'pack-0000');
  const log = path.join(pack, 'results.tsv');
  writeFileSync(log, log64k());
  const h = await startServer(one);
  try {
    const samples: number[] = [];
    for (let i = 0; i < 15; i++) {
      // The server's own work from "this pack changed" to diagnostics sent; the 50 ms typing debounce is not included.
      const start = performance.now();
      await h.server.validate(pack);
      samples.push(performance.now() - start);
    }
    figure('server_change_to_diagnostics_64kb_log', median(samples), 'ms');
  } finally {
    h.dispose();
  }

  const many = generatePackTree(path.join(scratch, 'many'), 1000);
  const h2 = await startServer(many);
  try {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await h2.client.sendRequest('autoexp/validateAll');
      samples.push(performance.now() - start);
    }
    figure('server_validate_1000_packs', median(samples), 'ms');
  } finally {
    h2.dispose();
  }
}
