/** The extension host's logs in a code-server profile. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

function files(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    out = statSync(p).isDirectory() ? out.concat(files(p)) : out.concat(p);
  }
  return out;
}

/** Every log file under the profile's logs folder, with its text. */
export function profileLogs(userDataDir: string): Array<{ file: string; text: string }> {
  return files(path.join(userDataDir, 'logs'))
    .filter((f) => f.endsWith('.log'))
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** Lines of the extension host logs that report an error about Autoexp. */
export function autoexpErrors(userDataDir: string): string[] {
  return profileLogs(userDataDir)
    .filter((l) => /exthost|Autoexp/i.test(path.basename(l.file)) || /exthost/i.test(l.file))
    .flatMap((l) => l.text.split('\n').filter((line) => /\[error\]/i.test(line) && /autoexp/i.test(line)).map((line) => `${path.basename(l.file)}: ${line}`));
}
