/**
 * A unified-style line diff (`--- a/…`, `+++ b/…`, `@@` hunks with three lines of context), what
 * `--dry-run` shows. Config files are small and edits local, so a plain LCS on the changed middle is enough.
 */

type Edit = { readonly kind: " " | "-" | "+"; readonly line: string; readonly oldNo: number; readonly newNo: number };

const CONTEXT = 3;

/** The diff from `before` (undefined: a new file) to `after`; empty when they are equal. */
export function unifiedDiff(path: string, before: string | undefined, after: string): string {
  if (before === after) return "";
  const edits = lineEdits(toLines(before ?? ""), toLines(after));
  const header = [`--- ${before === undefined ? "/dev/null" : `a${path.startsWith("/") ? "" : "/"}${path}`}`, `+++ b${path.startsWith("/") ? "" : "/"}${path}`];
  const hunks: string[] = [];
  let index = 0;
  while (index < edits.length) {
    if (edits[index]!.kind === " ") {
      index++;
      continue;
    }
    const start = Math.max(0, index - CONTEXT);
    let end = index;
    while (end < edits.length) {
      if (edits[end]!.kind !== " ") {
        end++;
        continue;
      }
      let run = end;
      while (run < edits.length && edits[run]!.kind === " ") run++;
      if (run === edits.length || run - end > 2 * CONTEXT) {
        end = Math.min(run, end + CONTEXT);
        break;
      }
      end = run;
    }
    const slice = edits.slice(start, end);
    const oldCount = slice.filter((edit) => edit.kind !== "+").length;
    const newCount = slice.filter((edit) => edit.kind !== "-").length;
    const oldStart = oldCount === 0 ? slice[0]!.oldNo - 1 : slice.find((edit) => edit.kind !== "+")!.oldNo;
    const newStart = newCount === 0 ? slice[0]!.newNo - 1 : slice.find((edit) => edit.kind !== "-")!.newNo;
    hunks.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...slice.map((edit) => `${edit.kind}${edit.line}`));
    index = end;
  }
  return `${[...header, ...hunks].join("\n")}\n`;
}

function toLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function lineEdits(a: readonly string[], b: readonly string[]): Edit[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const edits: Edit[] = [];
  let oldNo = 1;
  let newNo = 1;
  const push = (kind: Edit["kind"], line: string) => {
    edits.push({ kind, line, oldNo, newNo });
    if (kind !== "+") oldNo++;
    if (kind !== "-") newNo++;
  };
  for (const line of a.slice(0, prefix)) push(" ", line);
  for (const [kind, line] of middleEdits(midA, midB)) push(kind, line);
  for (const line of a.slice(a.length - suffix)) push(" ", line);
  return edits;
}

function middleEdits(a: readonly string[], b: readonly string[]): [Edit["kind"], string][] {
  if (a.length * b.length > 4_000_000) return [...a.map((line): [Edit["kind"], string] => ["-", line]), ...b.map((line): [Edit["kind"], string] => ["+", line])];
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const out: [Edit["kind"], string][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push([" ", a[i]!]);
      i++;
      j++;
    } else if (j < b.length && (i === a.length || table[i * width + j + 1]! >= table[(i + 1) * width + j]!)) {
      out.push(["+", b[j]!]);
      j++;
    } else {
      out.push(["-", a[i]!]);
      i++;
    }
  }
  return out;
}
