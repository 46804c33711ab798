/**
 * The language server's state: which packs exist, which diagnostics were published for each, and a
 * debounced re-validation of exactly the pack that changed.
 */
import * as path from 'node:path';
import {
  CodeActionKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { discoverWorkspace, type PackRef } from '../core/discovery';
import { oneLine } from '../core/errors';
import type { Finding } from '../core/findings';
import { DEFAULT_EXPERIMENTS_FOLDERS } from '../core/packFormat';
import { findingCounts } from '../core/summary';
import { validatePack } from '../core/validation/validate';
import {
  EXPERIMENTS_FOLDERS_CHANGED,
  ExperimentsFoldersChanged,
  InitializationOptions,
  PACKS_VALIDATED,
  TRUST_CHANGED,
  TrustChanged,
  VALIDATE_ALL,
  type PackSummary,
  type PacksValidated,
  type ValidateAllResult,
} from '../shared/protocol';
import { byFile, toDiagnostic, toPath, toUri } from './diagnostics';
import { quickFixes } from './quickFixes';

/** Typing pauses shorter than this are one edit: the pack is checked once the user stops. */
export const DEBOUNCE_MS = 50;

export interface ServerOptions {
  /** Where templates/ is when the client does not say (other editors, tests). */
  defaultTemplatesDir: string;
}

export class PackServer {
  private readonly documents = new TextDocuments(TextDocument);
  private roots: string[] = [];
  private options: Required<InitializationOptions>;
  private packs = new Map<string, PackRef>();
  private readonly published = new Map<string, Set<string>>();
  /** Each file's diagnostics as last sent, as JSON; a file with none has no entry. */
  private readonly sent = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private rediscoverTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private markReady: () => void = () => {};
  /** Resolves when the first discovery and validation are done; tests and benchmarks wait on it. */
  readonly ready = new Promise<void>((resolve) => {
    this.markReady = resolve;
  });

  constructor(
    private readonly connection: Connection,
    serverOptions: ServerOptions,
  ) {
    this.options = { trusted: true, experimentsFolders: DEFAULT_EXPERIMENTS_FOLDERS, templatesDir: serverOptions.defaultTemplatesDir };
  }

  /** Stops pending work: after shutdown nothing is validated or sent. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    clearTimeout(this.rediscoverTimer);
  }

  listen(): void {
    const c = this.connection;
    c.onShutdown(() => this.stop());
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => {
      void this.rediscover().finally(this.markReady);
    });
    c.onDidChangeWatchedFiles(({ changes }) => {
      let structural = false;
      for (const change of changes) {
        const file = toPath(change.uri);
        if (!file) continue;
        const pack = this.packOf(file);
        if (pack) this.schedule(pack.dir);
        // A create or delete (type 1 or 3) may add or remove a pack; a change (2) cannot.
        if (change.type !== 2) structural = true;
      }
      if (structural) this.scheduleRediscover();
    });
    c.onNotification(TRUST_CHANGED, (raw) => {
      const parsed = TrustChanged.safeParse(raw);
      if (!parsed.success) return c.console.warn(`ignored a malformed ${TRUST_CHANGED} notification`);
      this.options.trusted = parsed.data.trusted;
      for (const dir of this.packs.keys()) this.schedule(dir, 0);
    });
    c.onNotification(EXPERIMENTS_FOLDERS_CHANGED, (raw) => {
      const parsed = ExperimentsFoldersChanged.safeParse(raw);
      if (!parsed.success) return c.console.warn(`ignored a malformed ${EXPERIMENTS_FOLDERS_CHANGED} notification`);
      this.options.experimentsFolders = parsed.data.experimentsFolders;
      // Packs of the new folders get diagnostics; those of folders no longer listed have theirs cleared.
      this.scheduleRediscover();
    });
    c.onRequest(VALIDATE_ALL, async (): Promise<ValidateAllResult> => {
      const started = performance.now();
      await this.rediscover();
      const packs = await Promise.all([...this.packs.keys()].map((dir) => this.validate(dir)));
      return { packs: packs.filter((p): p is PackSummary => p !== undefined), durationMs: performance.now() - started };
    });
    c.onCodeAction((params) => quickFixes(params, this.options.templatesDir, (file) => this.overlay(file)));
    this.documents.onDidChangeContent(({ document }) => {
      const file = toPath(document.uri);
      const pack = file && this.packOf(file);
      if (pack) this.schedule(pack.dir);
    });
    this.documents.onDidClose(({ document }) => {
      // The disk version may differ from what was in the editor.
      const file = toPath(document.uri);
      const pack = file && this.packOf(file);
      if (pack) this.schedule(pack.dir);
    });
    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const given = InitializationOptions.nullish().safeParse(params.initializationOptions);
    if (given.success) this.options = { ...this.options, ...given.data };
    else {
      const issue = given.error.issues[0];
      const where = ['initializationOptions', ...issue.path].join('.');
      this.connection.console.warn(`initializationOptions are malformed: ${where}: ${issue.message}; using defaults`);
    }
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = folders.map(toPath).filter((p): p is string => p !== undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'autoexp-server' },
    };
  }

  private overlay(file: string): string | undefined {
    return this.documents.get(toUri(file))?.getText();
  }

  /** The pack that holds `file`, by walking up its folders. */
  packOf(file: string): PackRef | undefined {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const pack = this.packs.get(dir) ?? this.packs.get(file);
      if (pack) return pack;
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  private schedule(dir: string, delay = DEBOUNCE_MS): void {
    clearTimeout(this.timers.get(dir));
    this.timers.set(
      dir,
      setTimeout(() => {
        this.timers.delete(dir);
        void this.validate(dir);
      }, delay),
    );
  }

  private scheduleRediscover(): void {
    clearTimeout(this.rediscoverTimer);
    this.rediscoverTimer = setTimeout(() => void this.rediscover(), DEBOUNCE_MS * 2);
  }

  /** Finds the packs again; validates new ones and clears the diagnostics of those that are gone. */
  async rediscover(): Promise<void> {
    const found = new Map<string, PackRef>();
    for (const root of this.roots) {
      for (const folder of await discoverWorkspace(root, this.options.experimentsFolders)) {
        for (const pack of folder.packs) found.set(pack.dir, pack);
      }
    }
    const removed = [...this.packs.keys()].filter((dir) => !found.has(dir));
    const added = [...found.keys()].filter((dir) => !this.packs.has(dir));
    this.packs = found;
    for (const dir of removed) this.publish(dir, new Map());
    if (removed.length) this.notify({ packs: [], removed });
    await Promise.all(added.map((dir) => this.validate(dir)));
  }

  /** Validates one pack now and publishes its diagnostics. Never throws: a broken pack is a diagnostic. */
  async validate(dir: string): Promise<PackSummary | undefined> {
    const pack = this.packs.get(dir);
    if (!pack || this.stopped) return undefined;
    try {
      const report = await validatePack(pack, { overlay: (f) => this.overlay(f), extended: true, git: this.options.trusted });
      if (!this.packs.has(dir) || this.stopped) return undefined; // removed, or the server stopped, while we read it
      const groups = byFile(report.findings);
      this.publish(dir, groups);
      const summary: PackSummary = { dir, slug: pack.slug, ...findingCounts(report.findings) };
      this.notify({ packs: [summary], removed: [] });
      return summary;
    } catch (err) {
      if (!this.stopped) this.connection.console.error(`validating ${dir} failed: ${oneLine(err)}`);
      return undefined;
    }
  }

  private publish(dir: string, groups: Map<string, Finding[]>): void {
    const before = this.published.get(dir) ?? new Set<string>();
    const now = new Set<string>();
    for (const [file, findings] of groups) {
      const uri = toUri(file);
      now.add(uri);
      this.send(uri, findings.map((f) => toDiagnostic(f, dir)));
    }
    for (const uri of before) if (!now.has(uri)) this.send(uri, []);
    this.published.set(dir, now);
  }

  /**
   * Sends a file's diagnostics only when they differ from those last sent. Opening or editing a file
   * revalidates its pack, and the same diagnostics sent again would still replace the editor's markers:
   * that restarts its code-action requests (a Ctrl+. under way answers "No code actions available")
   * and flickers the light bulb.
   */
  private send(uri: string, diagnostics: Diagnostic[]): void {
    const text = JSON.stringify(diagnostics);
    if (this.sent.get(uri) === text) return;
    if (diagnostics.length === 0) this.sent.delete(uri);
    else this.sent.set(uri, text);
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }

  private notify(message: PacksValidated): void {
    void this.connection.sendNotification(PACKS_VALIDATED, message);
  }
}
