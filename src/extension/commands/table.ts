/**
 * Every command of the extension, one row each: its id, the schemas of its arguments and its handler.
 * extension.ts turns the rows into the map entry.ts registers, so a command is declared once, here
 * (the model is rust-analyzer's command table).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { compareTrials, showTargetHistory, showTrialDiff } from '../diffs/showTrialDiff';
import { reconstructDiff } from '../diffs/reconstructDiff';
import type { ExperimentsTree } from '../experimentsTree';
import type { PackIndex } from '../packIndex';
import { pickPack } from '../packPicker';
import { ResultsPanel } from '../results/resultsPanel';
import type { RunTracker } from '../runs/runTracker';
import { requireTrust } from '../trust';
import { None, PackArg, PackDir, ProposalArg, ProposalNames, Repeat, ResetOptions, TargetArg, TrialArg } from './args';
import { command, type Command } from './command';
import { startAutopilotCommand, stopAutopilotCommand } from './autopilot';
import { measurePack } from './measurePack';
import { measureNoiseCommand } from './measureNoise';
import { newPack } from './newPack';
import { resetPack } from './resetPack';
import { runLoopCommand, runProposalCommand, stopRunCommand } from './runLoop';
import { validatePacks } from './validatePacks';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  index: PackIndex;
  tree: ExperimentsTree;
  tracker: RunTracker;
  cliPath: string;
  /** The language client once it has started (or failed to). */
  client: () => Promise<LanguageClient | undefined>;
}

export function commandTable(ctx: CommandContext): Record<string, Command> {
  const { extension, log, index, tree, tracker, cliPath } = ctx;
  return {
    'autoexp.refresh': command([None], () => index.refresh()),
    'autoexp.newPack': command([None], () => newPack(index, extension.asAbsolutePath(path.join('templates', 'pack')), log)),
    'autoexp.openFolder': command([PackArg], async (target) => {
      const pack = await pickPack(index, target, 'Open Pack Folder');
      if (pack) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(pack.dir));
    }),
    'autoexp.measure': command([PackArg], async (target) => {
      const pack = await pickPack(index, target, 'Measure');
      if (!pack || !requireTrust('Measure')) return undefined;
      const outcome = await measurePack(pack, log);
      if (outcome?.ok) tree.setMeasured(pack.dir, outcome.score);
      return outcome;
    }),
    'autoexp.measureNoise': command([PackArg, Repeat], async (target, repeat) => {
      const pack = await pickPack(index, target, 'Measure Noise');
      if (!pack || !requireTrust('Measure Noise')) return undefined;
      return measureNoiseCommand(pack, log, repeat);
    }),
    'autoexp.resetPack': command([PackArg, ResetOptions], async (target, options) => {
      const pack = await pickPack(index, target, 'Reset Pack');
      if (!pack || !requireTrust('Reset Pack')) return undefined;
      const score = await resetPack(pack, log, options.confirm);
      if (score !== undefined) tree.setMeasured(pack.dir, score);
      tree.invalidate(pack.dir);
      return score;
    }),
    'autoexp.validatePacks': command([None], async () => validatePacks(await ctx.client(), log)),
    'autoexp.runLoop': command([PackArg, ProposalNames], (target, proposals) => runLoopCommand(index, tracker, cliPath, target, proposals)),
    'autoexp.runProposal': command([ProposalArg], (given) => runProposalCommand(index, tracker, cliPath, given)),
    'autoexp.stopRun': command([PackArg], (target) => stopRunCommand(tracker, target)),
    'autoexp.startAutopilot': command([PackArg], (target) => startAutopilotCommand(index, tracker, extension.workspaceState, cliPath, target)),
    'autoexp.stopAutopilot': command([PackArg], (target) => stopAutopilotCommand(tracker, target)),
    'autoexp.showRunTerminal': command([PackDir], (packDir) => packDir !== undefined && tracker.showTerminal(packDir)),
    'autoexp.showTrialDiff': command([TrialArg], (given) => showTrialDiff(index, given)),
    'autoexp.showTargetHistory': command([TargetArg], (given) => showTargetHistory(given)),
    'autoexp.compareTrials': command([PackArg], (target) => compareTrials(index, target)),
    'autoexp.reconstructDiff': command([TrialArg], (given) => reconstructDiff(given.trial)),
    'autoexp.showResults': command([PackArg], async (target) => {
      const pack = await pickPack(index, target, 'Show Results');
      if (!pack) return undefined;
      const openTrial = (packDir: string, resultsLine: number) => showTrialDiff(index, { trial: { packDir, resultsLine } });
      return ResultsPanel.show(pack, extension.extensionUri, log, openTrial) !== undefined;
    }),
    'autoexp.openDocumentation': command([None], () => vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(extension.asAbsolutePath('README.md')))),
  };
}
