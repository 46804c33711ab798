// Bundles every entry point with esbuild. `--watch` keeps rebuilding; `--production` minifies.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * The CLI's commands beyond validate, with validate --json's extended rules, go to their own bundle,
 * loaded only when one of them runs: `autoexp validate` then parses a fraction of the code (see
 * src/cli/commands/index.ts). It is loaded once, through V8's code cache (src/cli/codeCache.ts).
 */
const COMMANDS_BUNDLE = 'commands-bundle';
const cliCommandsApart = {
  name: 'cli-commands-apart',
  setup(build) {
    const apart = { path: 'cli-commands.cjs', namespace: COMMANDS_BUNDLE };
    build.onResolve({ filter: /^\.\/commands\/index$/ }, () => apart);
    // How src/cli/commands/validate.ts reaches the same module, for --json; any other `./index` is bundled.
    build.onResolve({ filter: /^\.\/index$/ }, (args) => (args.importer.endsWith(path.join('cli', 'commands', 'validate.ts')) ? apart : undefined));
    build.onLoad({ filter: /.*/, namespace: COMMANDS_BUNDLE }, () => ({
      contents: [
        `const { loadBundle, userCacheDir } = require(${JSON.stringify(path.resolve('src/cli/codeCache.ts'))});`,
        "const path = require('node:path');",
        'const caches = userCacheDir();',
        "module.exports = loadBundle(path.join(__dirname, 'cli-commands.cjs'), caches && path.join(caches, 'code-cache')).exports;",
      ].join('\n'),
      loader: 'js',
      resolveDir: path.resolve('src/cli'),
    }));
  },
};

/**
 * `autoexp lsp` loads the language server's own bundle when it starts, rather than carrying a copy:
 * its libraries took 17 ms to load on every other command too.
 */
const serverApart = {
  name: 'server-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/\.\.\/server\/main$/ }, () => ({ path: './server.cjs', external: true }));
  },
};

/**
 * Python the core hands to pack scripts lives in .py files. Under tsx a small module reads each from
 * disk; in the bundles that module becomes an import of the file through esbuild's text loader, so the
 * text is inlined and nothing beside the bundle is read at run time.
 */
const TEXT_MODULES = { 'shimText.ts': { name: 'SHIM_PY', file: './shim.py' } };
const pythonText = {
  name: 'python-text',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]core[\\/]run[\\/]\w+Text\.ts$/ }, (args) => {
      const text = TEXT_MODULES[path.basename(args.path)];
      if (!text) return undefined;
      return { contents: `export { default as ${text.name} } from ${JSON.stringify(text.file)};`, loader: 'ts', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * Node entry points: CommonJS, because VS Code's extension host `require`s them. The extension is two
 * bundles: a small one that activates (entry.ts) and the rest, which it loads right after.
 */
const nodeEntries = [
  { in: 'src/extension/entry.ts', out: 'extension', external: ['vscode'] },
  { in: 'src/extension/extension.ts', out: 'features', external: ['vscode'] },
  { in: 'src/server/main.ts', out: 'server' },
  { in: 'src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node', plugins: [cliCommandsApart] },
  { in: 'src/cli/commands/index.ts', out: 'cli-commands', plugins: [serverApart] },
];

const contexts = await Promise.all(
  nodeEntries.map((e) =>
    esbuild.context({
      entryPoints: { [e.out]: e.in },
      outdir: 'dist',
      outExtension: { '.js': '.cjs' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // import() becomes require(): Node's import() of a .cjs file first scans all of it for exports
      // (cjs-module-lexer), 50 ms for the 590 KB commands bundle before any command runs.
      supported: { 'dynamic-import': false },
      sourcemap: production ? false : 'linked',
      minify: production,
      external: e.external ?? [],
      plugins: [pythonText, ...(e.plugins ?? [])],
      loader: { '.py': 'text' },
      banner: e.banner ? { js: e.banner } : undefined,
      define: { AUTOEXP_VERSION: JSON.stringify(version) },
      logLevel: 'warning',
    }),
  ),
);

/** The results chart page: a browser bundle the webview loads under a strict CSP. */
contexts.push(
  await esbuild.context({
    entryPoints: { webview: 'webview/results/main.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
  }),
);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
