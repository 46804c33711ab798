/**
 * The text of ./shim.py. The bundles inline it with esbuild's text loader: scripts/build.mjs swaps this
 * module for an import of the file, so nothing is read at run time. Under tsx (tests, scripts) there is
 * no bundle, so it is read from beside this file.
 */
import { readFileSync } from 'node:fs';

export const SHIM_PY: string = readFileSync(new URL('./shim.py', import.meta.url), 'utf8');
