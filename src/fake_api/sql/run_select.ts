/**
 * Run a parsed SELECT against one database of the fake PostgreSQL: tables, views (their stored
 * SELECT run again) and `information_schema.tables`/`columns`. Rows come back as objects keyed by
 * output column, duplicates suffixed (`id`, `id_2`), so they read well in JSON.
 */
import type { Database } from "../state.ts";
import { Cursor, SqlError, tokenize } from "./lexer.ts";
import { type Cond, type Expr, parseSelect, type Select, type Source } from "./parse.ts";

/** A query result. */
export interface QueryResult {
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
}

type Row = Record<string, unknown>;
interface Relation {
  readonly columns: readonly string[];
  readonly rows: readonly unknown[][];
}
interface Scope {
  readonly row: Row;
  readonly group?: readonly Row[];
}

/** Parse and run one SELECT statement's text. */
export function runSelectText(db: Database, sql: string, depth = 0): QueryResult {
  const cur = new Cursor(tokenize(sql));
  const select = parseSelect(cur);
  cur.accept(";");
  if (!cur.atEnd()) throw cur.syntaxError();
  return runSelect(db, select, depth);
}

/** Load a table or view by name as columns and rows. */
export function relation(db: Database, table: string, depth = 0): Relation {
  if (table === "information_schema.tables") {
    return {
      columns: ["table_schema", "table_name", "table_type"],
      rows: [
        ...Object.keys(db.tables).map((name) => ["public", name, "BASE TABLE"]),
        ...Object.keys(db.views).map((name) => ["public", name, "VIEW"]),
      ],
    };
  }
  if (table === "information_schema.columns") {
    return {
      columns: ["table_schema", "table_name", "column_name", "data_type", "ordinal_position"],
      rows: Object.entries(db.tables).flatMap(([name, t]) => t.columns.map((column, index) => ["public", name, column.name, column.type, index + 1])),
    };
  }
  const found = db.tables[table];
  if (found !== undefined) return { columns: found.columns.map((column) => column.name), rows: found.rows };
  const view = db.views[table];
  if (view !== undefined) {
    if (depth > 8) throw new SqlError(`infinite recursion detected in rules for relation "${table}"`);
    const result = runSelectText(db, view, depth + 1);
    return { columns: result.columns, rows: result.rows.map((row) => result.columns.map((column) => row[column])) };
  }
  throw new SqlError(`relation "${table}" does not exist`);
}

/** Run a parsed SELECT. */
export function runSelect(db: Database, select: Select, depth = 0): QueryResult {
  const sources: { source: Source; columns: readonly string[] }[] = [];
  let rows: Row[] = [{}];
  if (select.from !== undefined) {
    const base = relation(db, select.from.table, depth);
    sources.push({ source: select.from, columns: base.columns });
    rows = base.rows.map((values) => toRow(select.from!.alias, base.columns, values));
    for (const join of select.joins) {
      const right = relation(db, join.source.table, depth);
      sources.push({ source: join.source, columns: right.columns });
      const rightRows = right.rows.map((values) => toRow(join.source.alias, right.columns, values));
      const nulls = toRow(join.source.alias, right.columns, right.columns.map(() => null));
      rows = rows.flatMap((row) => {
        const matched = rightRows.map((other) => ({ ...row, ...other })).filter((merged) => truthy(evalCond(join.on, { row: merged }, sources)));
        return matched.length > 0 ? matched : join.left ? [{ ...row, ...nulls }] : [];
      });
    }
  }
  if (select.where !== undefined) rows = rows.filter((row) => truthy(evalCond(select.where!, { row }, sources)));

  const aggregated = select.groupBy.length > 0 || select.items.some((item) => item.kind === "expr" && hasAggregate(item.expr));
  let scopes: Scope[] = rows.map((row) => ({ row }));
  if (aggregated) {
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const key = JSON.stringify(select.groupBy.map((expr) => evalExpr(expr, { row }, sources)));
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    if (groups.size === 0 && select.groupBy.length === 0) groups.set("[]", []);
    scopes = [...groups.values()].map((group) => ({ row: group[0] ?? {}, group }));
    if (select.having !== undefined) scopes = scopes.filter((scope) => truthy(evalCond(select.having!, scope, sources)));
  }

  const columns: string[] = [];
  const producers: ((scope: Scope) => unknown)[] = [];
  for (const item of select.items) {
    if (item.kind === "star") {
      const chosen = sources.filter((entry) => item.qualifier === undefined || entry.source.alias === item.qualifier);
      if (chosen.length === 0) throw new SqlError(item.qualifier === undefined ? "SELECT * with no tables specified is not valid" : `missing FROM-clause entry for table "${item.qualifier}"`);
      for (const entry of chosen) for (const column of entry.columns) {
        columns.push(column);
        producers.push((scope) => scope.row[`${entry.source.alias}.${column}`]);
      }
    } else {
      columns.push(item.alias ?? outputName(item.expr));
      producers.push((scope) => evalExpr(item.expr, scope, sources));
    }
  }
  const names = uniqueNames(columns);
  let output = scopes.map((scope) => ({ scope, values: producers.map((produce) => produce(scope)) }));
  if (select.distinct) {
    const seen = new Set<string>();
    output = output.filter((entry) => !seen.has(JSON.stringify(entry.values)) && (seen.add(JSON.stringify(entry.values)), true));
  }
  if (select.orderBy.length > 0) {
    const keys = select.orderBy.map(({ expr, desc }) => {
      const index = expr.kind === "lit" && typeof expr.value === "number" ? expr.value - 1 : expr.kind === "ref" && expr.qualifier === undefined ? columns.indexOf(expr.name) : -1;
      return { desc, get: (entry: { scope: Scope; values: unknown[] }) => (index >= 0 ? entry.values[index] : evalExpr(expr, entry.scope, sources)) };
    });
    output.sort((a, b) => {
      for (const key of keys) {
        const order = compare(key.get(a), key.get(b));
        if (order !== 0) return key.desc ? -order : order;
      }
      return 0;
    });
  }
  const start = select.offset ?? 0;
  output = output.slice(start, select.limit === undefined ? undefined : start + select.limit);
  return { columns: names, rows: output.map((entry) => Object.fromEntries(names.map((name, index) => [name, entry.values[index] ?? null]))) };
}

function toRow(alias: string, columns: readonly string[], values: readonly unknown[]): Row {
  return Object.fromEntries(columns.map((column, index) => [`${alias}.${column}`, values[index] ?? null]));
}

function uniqueNames(columns: readonly string[]): string[] {
  const counts = new Map<string, number>();
  return columns.map((column) => {
    const count = (counts.get(column) ?? 0) + 1;
    counts.set(column, count);
    return count === 1 ? column : `${column}_${count}`;
  });
}

function outputName(expr: Expr): string {
  switch (expr.kind) {
    case "ref":
      return expr.name;
    case "agg":
      return expr.fn;
    case "func":
      return expr.name;
    case "lit":
      return "?column?";
  }
}

function hasAggregate(expr: Expr): boolean {
  return expr.kind === "agg" || (expr.kind === "func" && expr.args.some(hasAggregate));
}

/** Evaluate an expression in a row (and its group, for aggregates). */
export function evalExpr(expr: Expr, scope: Scope, sources: readonly { source: Source; columns: readonly string[] }[]): unknown {
  switch (expr.kind) {
    case "lit":
      return expr.value;
    case "ref": {
      const owners = sources.filter((entry) => (expr.qualifier === undefined || entry.source.alias === expr.qualifier) && entry.columns.includes(expr.name));
      if (owners.length === 0) {
        if (expr.qualifier !== undefined && !sources.some((entry) => entry.source.alias === expr.qualifier)) throw new SqlError(`missing FROM-clause entry for table "${expr.qualifier}"`);
        throw new SqlError(`column ${expr.qualifier === undefined ? "" : `${expr.qualifier}.`}${expr.name} does not exist`);
      }
      if (owners.length > 1) throw new SqlError(`column reference "${expr.name}" is ambiguous`);
      return scope.row[`${owners[0]!.source.alias}.${expr.name}`] ?? null;
    }
    case "agg": {
      const group = scope.group ?? [scope.row];
      if (expr.arg === "*") return group.length;
      const arg = expr.arg;
      let values = group.map((row) => evalExpr(arg, { row }, sources)).filter((value) => value !== null);
      if (expr.distinct) values = [...new Set(values.map((value) => JSON.stringify(value)))].map((value) => JSON.parse(value));
      if (expr.fn === "count") return values.length;
      if (values.length === 0) return null;
      if (expr.fn === "min") return values.reduce((a, b) => (compare(a, b) <= 0 ? a : b));
      if (expr.fn === "max") return values.reduce((a, b) => (compare(a, b) >= 0 ? a : b));
      const sum = values.reduce((total: number, value) => total + Number(value), 0);
      return expr.fn === "sum" ? sum : sum / values.length;
    }
    case "func": {
      const args = expr.args.map((arg) => evalExpr(arg, scope, sources));
      switch (expr.name) {
        case "now":
          return new Date().toISOString();
        case "version":
          return "PostgreSQL 16.4 on x86_64-pc-linux-gnu (RunOS sandbox)";
        case "current_database":
          return "postgres";
        case "lower":
          return args[0] === null ? null : String(args[0]).toLowerCase();
        case "upper":
          return args[0] === null ? null : String(args[0]).toUpperCase();
        case "coalesce":
          return args.find((value) => value !== null) ?? null;
        case "length":
          return args[0] === null ? null : String(args[0]).length;
        default:
          throw new SqlError(`function ${expr.name}() does not exist`);
      }
    }
  }
}

/** Evaluate a condition: true, false or null (unknown). */
export function evalCond(cond: Cond, scope: Scope, sources: readonly { source: Source; columns: readonly string[] }[]): boolean | null {
  switch (cond.kind) {
    case "and": {
      const left = evalCond(cond.left, scope, sources);
      const right = evalCond(cond.right, scope, sources);
      return left === false || right === false ? false : left === null || right === null ? null : true;
    }
    case "or": {
      const left = evalCond(cond.left, scope, sources);
      const right = evalCond(cond.right, scope, sources);
      return left === true || right === true ? true : left === null || right === null ? null : false;
    }
    case "not": {
      const inner = evalCond(cond.inner, scope, sources);
      return inner === null ? null : !inner;
    }
    case "isnull":
      return (evalExpr(cond.expr, scope, sources) === null) !== cond.negated;
    case "like": {
      const value = evalExpr(cond.expr, scope, sources);
      const pattern = evalExpr(cond.pattern, scope, sources);
      if (value === null || pattern === null) return null;
      const source = String(pattern).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".");
      return new RegExp(`^${source}$`, cond.insensitive ? "is" : "s").test(String(value)) !== cond.negated;
    }
    case "in": {
      const value = evalExpr(cond.expr, scope, sources);
      if (value === null) return null;
      return cond.values.some((candidate) => compare(value, evalExpr(candidate, scope, sources)) === 0) !== cond.negated;
    }
    case "cmp": {
      const left = evalExpr(cond.left, scope, sources);
      const right = evalExpr(cond.right, scope, sources);
      if (left === null || right === null) return null;
      const order = compare(left, right);
      switch (cond.op) {
        case "=":
          return order === 0;
        case "<>":
          return order !== 0;
        case "<":
          return order < 0;
        case ">":
          return order > 0;
        case "<=":
          return order <= 0;
        default:
          return order >= 0;
      }
    }
  }
}

function truthy(value: boolean | null): boolean {
  return value === true;
}

/** Order two cells: nulls last, numbers numerically, the rest as strings. */
export function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" || typeof b === "boolean") return String(a) === String(b) ? 0 : String(a) < String(b) ? -1 : 1;
  const left = typeof a === "number" || typeof b === "number" ? Number(a) : String(a);
  const right = typeof a === "number" || typeof b === "number" ? Number(b) : String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
