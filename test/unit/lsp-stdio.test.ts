/**
 * `autoexp lsp` as another editor starts it: the built dist/cli.cjs (`npm test` builds it first) in a
 * real process, spoken to over stdin/stdout with Content-Length framing, on a real pack folder.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, packFiles, tempDir, writeTree } from './helpers';
import { LspWire, type Message } from './support/lspWire';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
/** What every editor recipe in the README starts; the recipes test below holds them to it. */
const LSP_COMMAND = ['autoexp', 'lsp'];

const PROGRAM = `${'a'.repeat(99)}\n${'b'.repeat(1000)}\n${'c'.repeat(300)}\n`;
const uri = (file: string) => pathToFileURL(file).toString();

let root: string;
let program: string;
const wires: LspWire[] = [];

before(() => {
  assert.ok(existsSync(CLI), 'dist/cli.cjs is built (npm run build)');
  root = tempDir('autoexp-lsp-');
  // Malformed twice over: program.md is too long and measure.py is missing.
  const files = packFiles('atris/experiments/too-long', { 'program.md': PROGRAM });
  delete files[path.join('atris/experiments/too-long', 'measure.py')];
  writeTree(root, files);
  program = path.join(root, 'atris', 'experiments', 'too-long', 'program.md');
});
after(() => wires.forEach((w) => w.kill()));

/** `autoexp lsp` started the way package.json's `bin` makes the `autoexp` command. */
function startServer(): LspWire {
  const bin = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).bin[LSP_COMMAND[0]];
  const wire = LspWire.start(process.execPath, [path.join(REPO_ROOT, bin), ...LSP_COMMAND.slice(1)], root);
  wires.push(wire);
  return wire;
}

async function initialize(wire: LspWire, initializationOptions?: unknown): Promise<Message> {
  const params: Record<string, unknown> = {
    processId: process.pid,
    rootUri: uri(root),
    workspaceFolders: [{ uri: uri(root), name: 'repo' }],
    capabilities: { textDocument: { publishDiagnostics: {} } },
  };
  if (initializationOptions !== undefined) params.initializationOptions = initializationOptions;
  const answer = await wire.request('initialize', params);
  wire.notify('initialized', {});
  return answer;
}

const diagnosticsOf = (file: string) => (m: Message) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri(file);
const logLines = (wire: LspWire) => wire.notifications.filter((m) => m.method === 'window/logMessage').map((m) => m.params.message as string);

describe('autoexp lsp over stdio', () => {
  test('initialize, open a malformed program.md, receive its diagnostics, shut down', async () => {
    const wire = startServer();
    const init = await initialize(wire, {});
    assert.equal(init.result.serverInfo.name, 'autoexp-server');
    assert.equal(init.result.capabilities.textDocumentSync, 2);
    assert.deepEqual(init.result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });

    wire.notify('textDocument/didOpen', { textDocument: { uri: uri(program), languageId: 'markdown', version: 1, text: PROGRAM } });
    const published = await wire.notification(diagnosticsOf(program));
    const diagnostics = [...published.params.diagnostics].sort((a, b) => a.range.start.line - b.range.start.line);
    assert.deepEqual(
      diagnostics.map((d: any) => ({ range: d.range, severity: d.severity, code: d.code, source: d.source, message: d.message })),
      [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: 1,
          code: 'missing-file',
          source: 'autoexp',
          message: 'too-long: missing required file measure.py',
        },
        {
          range: { start: { line: 2, character: 99 }, end: { line: 3, character: 0 } },
          severity: 1,
          code: 'program-too-long',
          source: 'autoexp',
          message: 'too-long: program.md too long (1402 chars > 1200)',
        },
      ],
    );

    assert.deepEqual(await wire.request('shutdown', null), { jsonrpc: '2.0', id: 2, result: null });
    wire.notify('exit', null);
    assert.equal(await wire.exited, 0);
    assert.deepEqual(logLines(wire), []);
    assert.equal(wire.stderr, '');
  });

  for (const [name, options] of [
    ['`{}`', {}],
    ['absent', undefined],
    ['null', null],
  ] as const) {
    test(`initializationOptions ${name}: the defaults apply without a "malformed" message`, async () => {
      const wire = startServer();
      await initialize(wire, options);
      // Diagnostics come after anything initialize logged: the stream is in order.
      const published = await wire.notification(diagnosticsOf(program));
      assert.equal(published.params.diagnostics.length, 2);
      assert.deepEqual(logLines(wire).filter((l) => /malformed/.test(l)), []);
    });
  }

  test('malformed initializationOptions: one warning naming the field, then the defaults', async () => {
    const wire = startServer();
    await initialize(wire, { experimentsFolders: 'atris/experiments' });
    const published = await wire.notification(diagnosticsOf(program));
    assert.equal(published.params.diagnostics.length, 2);
    assert.deepEqual(logLines(wire), [
      'initializationOptions are malformed: initializationOptions.experimentsFolders: Expected array, received string; using defaults',
    ]);
  });

  test('an argument it does not know is a usage error, exit 2', async () => {
    const wire = LspWire.start(process.execPath, [CLI, 'lsp', 'extra'], root);
    wires.push(wire);
    assert.equal(await wire.exited, 2);
    assert.equal(wire.stderr, 'autoexp lsp: unexpected argument "extra" (the server speaks LSP over stdin/stdout)\n');
  });

  test('the server is the bundle VS Code starts (dist/server.cjs), loaded by lsp alone: the other commands never load it', () => {
    const loaded = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'cli-commands.cjs'))}); console.log(Object.keys(require.cache).map((f) => require('path').basename(f)).join(' '))`], { encoding: 'utf8' });
    assert.equal(loaded.trim(), 'cli-commands.cjs');
    const commands = readFileSync(path.join(REPO_ROOT, 'dist', 'cli-commands.cjs'), 'utf8');
    assert.equal(commands.includes('textDocument/publishDiagnostics'), false, 'no copy of the protocol library in the commands\' bundle');
  });
});

describe('the README recipes for other editors', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Other editors'), readme.indexOf('\n## ', readme.indexOf('## Other editors') + 1));
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang, body }));
  const block = (lang: string, marker: string) => {
    const found = blocks.find((b) => b.lang === lang && b.body.includes(marker));
    assert.ok(found, `a ${lang} block with ${marker}`);
    return found.body;
  };
  const quoted = (list: string) => [...list.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]);

  test('Neovim, Helix and Zed each start exactly the command the stdio test runs', () => {
    const neovim = block('lua', 'vim.lsp.start');
    assert.deepEqual(quoted(/cmd = \{([^}]*)\}/.exec(neovim)![1]), LSP_COMMAND);
    const helix = block('toml', '[language-server.autoexp]');
    assert.deepEqual([...quoted(/^command = (.*)$/m.exec(helix)![1]), ...quoted(/^args = \[(.*)\]$/m.exec(helix)![1])], LSP_COMMAND);
    const zed = block('rust', 'language_server_command');
    assert.deepEqual([...quoted(/worktree\.which\(([^)]*)\)/.exec(zed)![1]), ...quoted(/args: vec!\[([^\]]*)\]/.exec(zed)![1])], LSP_COMMAND);
  });

  test('they say which files the server attaches to; Neovim starts it for exactly those', () => {
    const files = ['program.md', 'results.tsv', 'measure.py', 'loop.py', 'reset.py'];
    for (const file of files) assert.ok(section.includes(file), file);
    const patterns = quoted(/pattern = \{([^}]*)\}/.exec(block('lua', 'vim.lsp.start'))![1]);
    assert.deepEqual(patterns, files.map((f) => `*/atris/experiments/*/${f}`));
  });
});
