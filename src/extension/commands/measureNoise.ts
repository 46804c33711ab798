/** "Autoexp: Measure Noise": measure.py N times on the unchanged target, then its spread and a suggested --min-effect. */
import * as vscode from 'vscode';
import type { PackRef } from '../../core/discovery';
import { describeNoise, measureNoise, type NoiseOutcome } from '../../core/measureNoise';
import { pythonFor } from '../python';
import { Config } from '../config';

const DEFAULT_REPEAT = 10;

async function askRepeat(): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title: 'Autoexp: Measure Noise',
    prompt: 'How many times to run measure.py on the unchanged target',
    value: String(DEFAULT_REPEAT),
    validateInput: (text) => (/^\d+$/.test(text.trim()) && Number(text) >= 2 ? undefined : 'A whole number of at least 2'),
  });
  return answer === undefined ? undefined : Number(answer.trim());
}

export async function measureNoiseCommand(pack: PackRef, log: vscode.LogOutputChannel, repeat?: number): Promise<NoiseOutcome | undefined> {
  const n = repeat ?? (await askRepeat());
  if (n === undefined) return undefined;
  const python = await pythonFor(vscode.Uri.file(pack.dir));
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Autoexp: measuring ${pack.slug}'s noise`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return measureNoise(pack.dir, n, {
        python: python.command,
        timeoutMs: Config.trialTimeoutMs(),
        signal: abort.signal,
        onScore: (i, score) => {
          log.info(`${pack.slug} measurement ${i}/${n}: ${score}`);
          progress.report({ message: `${i}/${n}`, increment: 100 / n });
        },
      });
    },
  );
  if (!outcome.ok) {
    log.error(`${pack.slug}: ${outcome.message}`);
    void vscode.window.showErrorMessage(`Autoexp: ${pack.slug}: ${outcome.message}`, 'Show Log').then((c) => c && log.show());
    return outcome;
  }
  for (const line of describeNoise(outcome.summary)) log.info(`${pack.slug} noise ${line}`);
  const { median, sd, suggestedMinEffect } = outcome.summary;
  void vscode.window
    .showInformationMessage(`Autoexp: ${pack.slug} measures ${median.toFixed(4)} ± ${sd.toFixed(4)} (sd, n=${n}); suggested --min-effect ${suggestedMinEffect.toFixed(4)}.`, 'Show Log')
    .then((c) => c && log.show());
  return outcome;
}
