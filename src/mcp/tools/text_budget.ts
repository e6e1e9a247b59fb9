/**
 * How long model-facing text may be, and how it is cut to fit: Claude Code cuts tool descriptions and
 * server instructions at 2,048 characters, and every byte of a tool list is paid in the model's context
 * on every turn. A cut keeps whole sentences (or, failing that, whole words) and ends in "…".
 */

/** Longest tool description or server instructions we send. */
export const MAX_DESCRIPTION_CHARS = 2048;
/** Longest description of one argument (RunOS has single field descriptions of 14 KB). */
export const MAX_ARGUMENT_DESCRIPTION_CHARS = 600;

/** `text` cut to at most `max` characters at a sentence end, else a word end, marked with "…". */
export function fitSentences(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  let cut = -1;
  for (const match of room.matchAll(/[.!?](?=\s)|\n/g)) cut = match.index! + 1;
  if (cut < max / 3) {
    const space = room.lastIndexOf(" ");
    cut = space > max / 3 ? space : max - 1;
  }
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** The first sentence of `text`, at most `max` characters: a one-line summary for search results. */
export function firstSentence(text: string, max = 160): string {
  const line = text.trim().split("\n")[0] ?? "";
  const end = line.search(/[.!?](\s|$)/);
  return fitSentences(end >= 0 ? line.slice(0, end + 1) : line, max);
}
