/**
 * `--agent-command "CMD ARG..."` split into an argument array the way a POSIX shell splits words:
 * single quotes keep everything, double quotes keep all but `\"`, `\\`, `\$` and `` \` ``, a backslash
 * outside quotes escapes the next character. Nothing is expanded and nothing runs through a shell.
 */

export type SplitResult = { ok: true; words: string[] } | { ok: false; error: string };

const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '$', '`', '\n']);

export function splitShellWords(text: string): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return { ok: false, error: `unclosed single quote at character ${i + 1}` };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && DOUBLE_QUOTE_ESCAPES.has(text[j + 1])) j++;
        word += text[j];
      }
      if (j >= text.length) return { ok: false, error: `unclosed double quote at character ${i + 1}` };
      inWord = true;
      i = j + 1;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) return { ok: false, error: 'a backslash at the end escapes nothing' };
      // A backslash-newline joins lines, as in a shell.
      if (text[i + 1] !== '\n') word += text[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) return { ok: false, error: 'the command is empty' };
  return { ok: true, words };
}

/**
 * The inverse of splitShellWords: an argument array as one `--agent-command` string that splits back
 * into exactly these words. Words of plain characters stay as they are; others are single-quoted.
 */
export function quoteShellWords(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`)).join(' ');
}
