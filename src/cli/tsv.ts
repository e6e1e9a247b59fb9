/**
 * `-o tsv`, what a pipe gets: one header line of field names, one line per row, every field of the
 * answer in a column of its own. The catalog's output fields come first, in its order, so they do not
 * move with the data; the answer's other fields follow. Nothing nested is printed as JSON: an object is
 * flattened into dotted columns (`health.status`, `counts.services`), a list of scalars is one cell
 * joined with commas, and a list of objects one column per member (`usedBy.name` = `web,api,worker`).
 * Pure: returns text, prints nothing.
 */

/** One cell: its column's top-level field, its dotted path, and its text (already escaped). */
interface Leaf {
  readonly top: string;
  readonly path: string;
  readonly text: string;
}

/** A row as its leaves, plus the top-level fields it has no value for (null, `{}`, `[]`). */
interface FlatRow {
  readonly leaves: Leaf[];
  readonly empty: string[];
}

/**
 * The rows as TSV under `columns` (the catalog's output fields; may be empty) and every other field
 * the rows have, in the order first seen.
 */
export function tsvOfRows(rows: readonly Record<string, unknown>[], columns: readonly string[] = []): string {
  const flat = rows.map(flattenRow);
  const tops = unique([...columns, ...flat.flatMap((row) => [...row.leaves.map((leaf) => leaf.top), ...row.empty])]);
  const header: string[] = [];
  for (const top of tops) {
    const paths = unique(flat.flatMap((row) => row.leaves.filter((leaf) => leaf.top === top).map((leaf) => leaf.path)));
    // A field with no value in any row still gets its column: the catalog's columns stay in place.
    header.push(...(paths.length > 0 ? paths : [top]));
  }
  const lines = flat.map((row) => {
    const cells = new Map(row.leaves.map((leaf) => [leaf.path, leaf.text]));
    return header.map((path) => cells.get(path) ?? "").join("\t");
  });
  return [header.map((name) => escapeCell(name)).join("\t"), ...lines].join("\n");
}

/** A table's own columns and rows as TSV (a SQL result): values flattened the same way, no extra columns. */
export function tsvOfGrid(names: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return [names.map((name) => escapeCell(name)).join("\t"), ...rows.map((row) => names.map((name) => scalarCell(row[name])).join("\t"))].join("\n");
}

function flattenRow(row: Record<string, unknown>): FlatRow {
  const leaves: Leaf[] = [];
  const empty: string[] = [];
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    const before = leaves.length;
    flatten(key, key, value, leaves);
    if (leaves.length === before) empty.push(key);
  }
  return { leaves, empty };
}

/** Push the leaves of `value` at `path`; null, `{}` and `[]` push none (an empty cell). */
function flatten(top: string, path: string, value: unknown, leaves: Leaf[]): void {
  if (value === null || value === undefined) return;
  if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) flatten(top, `${path}.${key}`, item, leaves);
    return;
  }
  if (!Array.isArray(value)) {
    leaves.push({ top, path, text: scalarCell(value) });
    return;
  }
  if (value.length === 0) return;
  if (value.every((item) => !isRecord(item) && !Array.isArray(item))) {
    leaves.push({ top, path, text: value.map((item) => listItem(item)).join(",") });
    return;
  }
  if (value.every(isRecord)) {
    // One column per member, the items' values in item order (an item without the member: empty).
    const members = unique(value.flatMap((item) => Object.keys(item)));
    for (const member of members) {
      leaves.push({ top, path: `${path}.${member}`, text: value.map((item) => listItem(item[member])).join(",") });
    }
    return;
  }
  leaves.push({ top, path, text: escapeCell(JSON.stringify(value)) });
}

/** A scalar cell; a nested value that reaches here (a SQL column of JSON) as compact JSON. */
function scalarCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return escapeCell(value);
  if (typeof value === "object") return escapeCell(JSON.stringify(value));
  return String(value);
}

/** One item of a comma-joined list: escaped like a cell, and its own commas as `\,`. */
function listItem(value: unknown): string {
  const text = value === undefined || value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  return escapeCell(text).replace(/,/g, "\\,");
}

/** Backslashes, tabs and line breaks as `\\`, `\t`, `\n`, `\r`, so a value never breaks a line or a column. */
function escapeCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\r?\n/g, "\\n").replace(/\r/g, "\\r");
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
