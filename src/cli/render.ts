/**
 * How API results look on a terminal: tables for lists, aligned `key: value` lines for objects, and
 * pretty JSON for `--json`. Pure: returns text, prints nothing.
 */

/** Pretty JSON, 2-space indent, as `--json` prints it. */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** The rows of a list result: a bare array, or the first array-valued property of an object. */
export function rowsOf(value: unknown): Record<string, unknown>[] | undefined {
  if (Array.isArray(value)) return value.map((row) => (isRecord(row) ? row : { value: row }));
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((key) => key !== "warnings");
    if (keys.length === 1 && Array.isArray(value[keys[0]!])) return rowsOf(value[keys[0]!]);
  }
  return undefined;
}

/** Render a result for people; `columns` come from the catalog's output fields when known. */
export function renderHuman(value: unknown, columns: readonly string[] = []): string {
  if (isRecord(value) && Array.isArray(value.rows) && Array.isArray(value.columns)) {
    // A query result: its rows as a table, under its own column names, then the rest.
    const { rows, columns: queryColumns, ...rest } = value;
    const table = renderTable(rowsOf(rows) ?? [], queryColumns.map(String));
    return Object.keys(rest).length > 0 ? `${table}\n\n${renderObject(rest)}` : table;
  }
  const rows = rowsOf(value);
  if (rows !== undefined) return renderTable(rows, columns);
  if (isRecord(value)) return renderObject(value);
  return cell(value);
}

/** A table with upper-case headers and a dashed rule, or "No items found". */
export function renderTable(rows: readonly Record<string, unknown>[], columns: readonly string[] = []): string {
  if (rows.length === 0) return "No items found";
  const keys = columns.length > 0 ? [...columns] : scalarKeys(rows[0]!);
  const cells = rows.map((row) => keys.map((key) => cell(row[key])));
  const widths = keys.map((key, i) => Math.max(key.length, ...cells.map((line) => line[i]!.length)));
  const line = (parts: string[]) => parts.map((part, i) => part.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(keys.map((key) => key.toUpperCase())), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Aligned `key: value` lines; nested values as compact JSON. */
export function renderObject(value: Record<string, unknown>): string {
  const keys = Object.keys(value).filter((key) => key !== "warnings");
  const width = Math.max(0, ...keys.map((key) => key.length));
  return keys.map((key) => `${`${key}:`.padEnd(width + 1)} ${cell(value[key])}`).join("\n");
}

/** A response's top-level `warnings`, which go to stderr as `Warning: …` lines. */
export function warningsOf(value: unknown): string[] {
  if (!isRecord(value) || !Array.isArray(value.warnings)) return [];
  return value.warnings.map((warning) => `Warning: ${typeof warning === "string" ? warning : JSON.stringify(warning)}`);
}

function scalarKeys(row: Record<string, unknown>): string[] {
  const keys = Object.keys(row).filter((key) => !isRecord(row[key]) && !Array.isArray(row[key]));
  return (keys.length > 0 ? keys : Object.keys(row)).slice(0, 8);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
