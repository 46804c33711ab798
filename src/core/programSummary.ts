/** What the tree shows of a pack's program.md before it is opened. */

/**
 * The first sentence of program.md's prose: headings, front matter-ish rules, list bullets and
 * emphasis marks are skipped so the tree shows words, not Markdown.
 */
export function firstSentence(markdown: string, maxLength = 160): string {
  const prose: string[] = [];
  for (const raw of markdown.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) {
      if (prose.length) break;
      continue;
    }
    if (/^(#{1,6}\s|---|```|<!--)/.test(line)) {
      if (prose.length) break;
      continue;
    }
    prose.push(line.replace(/^([-*+]|\d+\.)\s+/, ''));
  }
  const text = prose
    .join(' ')
    .replace(/`/g, '')
    // Emphasis marks hug words from outside; underscores inside identifiers such as count_words stay.
    .replace(/(^|[\s(])[*_]+(?=\S)/g, '$1')
    .replace(/(\S)[*_]+(?=[\s.,;:!?)]|$)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim();
  const end = /[.!?](\s|$)/.exec(text);
  const sentence = end ? text.slice(0, end.index + 1) : text;
  return sentence.length > maxLength ? `${sentence.slice(0, maxLength - 1).trimEnd()}…` : sentence;
}
