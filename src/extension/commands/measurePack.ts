/** "Autoexp: Measure": runs measure.py with progress and Cancel; the score in a message, the payload in the log. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../../core/discovery';
import { runMeasure, type MeasureOutcome } from '../../core/measure';
import { Config } from '../config';
import { pythonFor } from '../python';

/** Measures a pack; reports failures itself and returns the outcome for callers that chain on it. */
export async function measurePack(pack: PackRef, log: vscode.LogOutputChannel, quiet = false): Promise<MeasureOutcome | undefined> {
  const python = await pythonFor(vscode.Uri.file(pack.dir));
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Autoexp: measuring ${pack.slug}`, cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const started = Date.now();
      const { outcome, process } = await runMeasure(pack.dir, { python: python.command, timeoutMs: Config.trialTimeoutMs(), signal: abort.signal });
      log.info(`${python.command} ${path.join(pack.slug, 'measure.py')} exited ${process.exitCode ?? '-'} in ${Date.now() - started} ms`);
      if (outcome.ok) {
        log.info(`${pack.slug} measure payload: ${JSON.stringify(outcome.payload)}`);
        if (!quiet) {
          const p = outcome.payload;
          const detail = p.passed !== undefined && p.total !== undefined ? ` (${p.passed}/${p.total} passed)` : '';
          void vscode.window.showInformationMessage(`Autoexp: ${pack.slug} scores ${outcome.score.toFixed(4)}${detail}.`);
        }
      } else if (outcome.error.kind !== 'cancelled') {
        log.error(outcome.error.message);
        void vscode.window.showErrorMessage(`Autoexp: ${outcome.error.message}`, 'Show Log').then((c) => c && log.show());
      }
      return outcome;
    },
  );
}
