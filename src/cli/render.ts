/**
 * How API results look: `table` for people (readable headers, nested values summarised in tables and
 * indented in objects, colour only when the style says so; a list's table names the fields it has no
 * column for), `wide` (a list's table with a column for every field), `tsv` for pipes (every field, the
 * catalog's output fields first; see tsv.ts), `json` (the API's JSON, 2-space indent) and `yaml`. No
 * format drops a field without saying so. Pure: returns text, prints nothing.
 */
import { rowsOf } from "../api/rows.ts";
import { PLAIN, statusColor, type Style, visibleLength } from "./style.ts";
import { tsvOfGrid, tsvOfRows } from "./tsv.ts";
import { toYaml } from "./yaml.ts";

/** The output formats of `-o`. */
export const OUTPUT_FORMATS = ["table", "wide", "json", "yaml", "tsv"] as const;
/** One output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** How to render one result. */
export interface RenderOptions {
  readonly format: OutputFormat;
  /** Column order of list results (the catalog's output fields), when known. */
  readonly columns?: readonly string[];
  readonly style?: Style;
}

/** Render `value` in the chosen format. */
export function renderResult(value: unknown, options: RenderOptions): string {
  switch (options.format) {
    case "json":
      return renderJson(value);
    case "yaml":
      return toYaml(value).replace(/\n$/, "");
    case "tsv":
      return renderTsv(value, options.columns ?? []);
    case "table":
      return renderHuman(value, options.columns ?? [], options.style ?? PLAIN);
    case "wide":
      return renderHuman(value, options.columns ?? [], options.style ?? PLAIN, { wide: true });
  }
}

/** Pretty JSON, 2-space indent, as `--json` prints it. */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** A SQL result (`exec-sql`): its columns and rows, plus the command tag and counts when given. */
function isQueryResult(value: unknown): value is Record<string, unknown> & { columns: unknown[]; rows: unknown[] } {
  return isRecord(value) && Array.isArray(value.rows) && Array.isArray(value.columns);
}

/** How a list is laid out for people. */
export interface HumanOptions {
  /** A column for every field of the rows, the catalog's columns first (`-o wide`). */
  readonly wide?: boolean;
}

/**
 * Render a result for people; `columns` come from the catalog's output fields when known. A list's
 * table ends with the fields it has no column for, by name, unless `wide` gives each one a column.
 */
export function renderHuman(value: unknown, columns: readonly string[] = [], style: Style = PLAIN, options: HumanOptions = {}): string {
  if (isQueryResult(value)) return renderQuery(value, style);
  const rows = rowsOf(value);
  if (rows !== undefined) return renderList(rows, columns, style, options.wide === true);
  if (isRecord(value)) return renderObject(value, style);
  return cell(value);
}

/** A list's table: the given (or default) columns and a note naming the fields left out; `wide`: every field. */
function renderList(rows: readonly Record<string, unknown>[], columns: readonly string[], style: Style, wide: boolean): string {
  if (rows.length === 0) return "No items found";
  const every = fieldsOf(rows);
  const chosen = columns.length > 0 ? [...columns] : defaultColumns(rows);
  const keys = wide ? [...chosen, ...every.filter((key) => !chosen.includes(key))] : chosen;
  const table = renderGrid(keys, keys.map(headerOf), rows, style);
  const left = every.filter((key) => !keys.includes(key));
  if (left.length === 0) return table;
  return `${table}\n${style.dim(`(not shown: ${left.join(", ")}; -o wide shows every field)`)}`;
}

/** Every field of the rows, in the order first seen. */
function fieldsOf(rows: readonly Record<string, unknown>[]): string[] {
  return [...new Set(rows.flatMap((row) => Object.keys(row).filter((key) => row[key] !== undefined)))];
}

/**
 * A query's rows as a table under its own column names; a statement without rows (INSERT, UPDATE,
 * DELETE, DDL) as its command tag (`DELETE 3`) or its count of affected rows.
 */
function renderQuery(value: Record<string, unknown> & { columns: unknown[]; rows: unknown[] }, style: Style): string {
  const { rows, columns, rowCount, command: _command, readOnly, ...rest } = value;
  const count = typeof rowCount === "number" ? rowCount : rows.length;
  const lines: string[] = [];
  if (columns.length > 0) {
    const names = columnNames(columns);
    lines.push(renderGrid(names, names, queryRows(names, rows), style), "", `(${count} ${count === 1 ? "row" : "rows"})`);
  } else {
    lines.push(commandTag(value));
  }
  if (readOnly === true) lines.push(style.dim("(ran read-only)"));
  if (Object.keys(withoutWarnings(rest)).length > 0) lines.push("", renderObject(rest, style));
  return lines.join("\n");
}

/**
 * A table with readable upper-case headers and a dashed rule, or "No items found": under `columns`,
 * else under every field of the rows (in the order first seen).
 */
export function renderTable(rows: readonly Record<string, unknown>[], columns: readonly string[] = [], style: Style = PLAIN): string {
  if (rows.length === 0) return "No items found";
  const keys = columns.length > 0 ? [...columns] : fieldsOf(rows);
  return renderGrid(keys, keys.map(headerOf), rows, style);
}

function renderGrid(keys: readonly string[], headers: readonly string[], rows: readonly Record<string, unknown>[], style: Style): string {
  const cells = rows.map((row) => keys.map((key) => summary(row[key])));
  const widths = keys.map((_key, i) => Math.max(headers[i]!.length, ...cells.map((line) => line[i]!.length)));
  const line = (parts: readonly string[], decorate: (text: string, column: number) => string) =>
    parts.map((part, i) => {
      const shown = decorate(part, i);
      return i === parts.length - 1 ? shown : shown + " ".repeat(widths[i]! - visibleLength(shown));
    }).join("  ").trimEnd();
  return [
    line(headers.map((header) => header.toUpperCase()), (text) => style.bold(text)),
    line(widths.map((width) => "-".repeat(width)), (text) => style.dim(text)),
    ...cells.map((parts) => line(parts, (text) => statusColor(style, text))),
  ].join("\n");
}

/** `kubernetesVersion` → `KUBERNETES VERSION`-ready words: camelCase, snake_case and kebab-case split. */
export function headerOf(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/[_\-.]+/g, " ")
    .trim();
}

/**
 * Aligned `key: value` lines; nested objects and lists indented below their key. The answer's own
 * top-level `warnings` are left out (they go to stderr); a nested one is data like any other.
 */
export function renderObject(value: Record<string, unknown>, style: Style = PLAIN, indent = ""): string {
  const keys = Object.keys(value).filter((key) => !(indent === "" && key === "warnings" && Array.isArray(value[key])) && value[key] !== undefined);
  const width = Math.max(0, ...keys.map((key) => key.length));
  const lines: string[] = [];
  for (const key of keys) {
    const item = value[key];
    const label = `${indent}${`${key}:`.padEnd(width + 1)}`;
    if (isRecord(item) && Object.keys(item).length > 0) {
      lines.push(`${indent}${key}:`, renderObject(item, style, `${indent}  `));
    } else if (Array.isArray(item) && item.some(isRecord)) {
      const rows = item.map((row) => (isRecord(row) ? row : { value: row }));
      lines.push(`${indent}${key}:`, renderTable(rows, [], style).split("\n").map((row) => `${indent}  ${row}`).join("\n"));
    } else if (Array.isArray(item) && item.every((part) => !isRecord(part) && !Array.isArray(part))) {
      // Every item, not a summary cut to a cell's width.
      lines.push(`${label} ${item.map((part) => summary(part)).join(", ")}`.trimEnd());
    } else {
      lines.push(`${label} ${statusColor(style, summary(item))}`.trimEnd());
    }
  }
  return lines.join("\n");
}

/** A response's top-level `warnings`, which go to stderr as `Warning: …` lines. */
export function warningsOf(value: unknown): string[] {
  if (!isRecord(value) || !Array.isArray(value.warnings)) return [];
  return value.warnings.map((warning) => `Warning: ${typeof warning === "string" ? warning : JSON.stringify(warning)}`);
}

/**
 * Tab-separated values for pipes (tsv.ts): a SQL result's rows under its own columns, or its command
 * tag when it has no rows to show (`DELETE 3`); any other answer with every field in a column, the
 * catalog's output fields first. A top-level `warnings` list goes to stderr instead (warningsOf).
 */
export function renderTsv(value: unknown, columns: readonly string[] = []): string {
  if (isQueryResult(value)) {
    if (value.columns.length === 0) return commandTag(value);
    const names = columnNames(value.columns);
    return tsvOfGrid(names, queryRows(names, value.rows));
  }
  const rows = rowsOf(value) ?? (isRecord(value) ? [withoutWarnings(value)] : [{ value }]);
  return tsvOfRows(rows, columns);
}

/** `value` without the `warnings` list warningsOf sends to stderr. */
function withoutWarnings(value: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(value.warnings)) return value;
  const { warnings: _warnings, ...rest } = value;
  return rest;
}

/** A statement's command tag (`DELETE 3`), else its count of affected rows. */
function commandTag(value: Record<string, unknown> & { rows: unknown[] }): string {
  if (typeof value.command === "string" && value.command !== "") return value.command;
  const count = typeof value.rowCount === "number" ? value.rowCount : value.rows.length;
  return `${count} ${count === 1 ? "row" : "rows"} affected`;
}

/** The names of a SQL result's columns (`{name, type}` objects or bare names). */
function columnNames(columns: readonly unknown[]): string[] {
  return columns.map((column) => (isRecord(column) && typeof column.name === "string" ? column.name : String(column)));
}

/** A SQL result's rows as records under `names` (rows come as arrays or as objects). */
function queryRows(names: readonly string[], rows: readonly unknown[]): Record<string, unknown>[] {
  return rows.map((row) => (Array.isArray(row) ? Object.fromEntries(names.map((name, i) => [name, row[i]])) : isRecord(row) ? row : { value: row }));
}

/** Up to eight keys of the first row, scalar ones first (nested ones are summarised anyway). */
function defaultColumns(rows: readonly Record<string, unknown>[]): string[] {
  const keys = Object.keys(rows[0]!);
  const scalar = keys.filter((key) => !isRecord(rows[0]![key]) && !Array.isArray(rows[0]![key]));
  return [...scalar, ...keys.filter((key) => !scalar.includes(key))].slice(0, 8);
}

const SUMMARY_WIDTH = 48;

/**
 * One table cell for any value: scalars as they are; a list of scalars joined by commas; a list of
 * objects by their names (or a count); an object by its status, its name, or its first scalar members.
 */
export function summary(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "";
    if (value.every((item) => !isRecord(item) && !Array.isArray(item))) return shorten(value.map((item) => summary(item)).join(", "));
    const names = value.map((item) => (isRecord(item) ? labelOf(item) : undefined));
    if (names.every((name) => name !== undefined)) return shorten(names.join(", "));
    return `${value.length} ${value.length === 1 ? "item" : "items"}`;
  }
  if (isRecord(value)) {
    for (const key of ["status", "state", "phase"]) {
      if (typeof value[key] === "string") {
        const counts = countsOf(value);
        return counts === "" ? value[key] as string : `${value[key]} (${counts})`;
      }
    }
    const label = labelOf(value);
    if (label !== undefined) return label;
    const scalars = Object.entries(value).filter(([, item]) => item === null || typeof item !== "object");
    if (scalars.length === 0) return `${Object.keys(value).length} fields`;
    return shorten(scalars.map(([key, item]) => `${key}=${summary(item)}`).join(" "));
  }
  return String(value);
}

/** `4/5 nodes ready` from `nodesReady` + `nodesTotal`-style pairs; empty when there are none. */
function countsOf(value: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const match = /^(.*)Ready$/.exec(key);
    if (match === null || typeof item !== "number") continue;
    const total = value[`${match[1]}Total`] ?? value[`${match[1]}Count`];
    if (typeof total === "number") parts.push(`${item}/${total} ${headerOf(match[1]!).toLowerCase()} ready`);
  }
  return parts.join(", ");
}

function labelOf(value: Record<string, unknown>): string | undefined {
  for (const key of ["name", "id", "key", "username"]) if (typeof value[key] === "string") return value[key] as string;
  return undefined;
}

function shorten(text: string): string {
  return text.length <= SUMMARY_WIDTH ? text : `${text.slice(0, SUMMARY_WIDTH - 1)}…`;
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
