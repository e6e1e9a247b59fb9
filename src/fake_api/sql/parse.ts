/**
 * Parse the SELECT shapes a model typically writes: columns or aggregates, one table or view with
 * joins, WHERE with AND/OR, GROUP BY, HAVING, ORDER BY, LIMIT and OFFSET; plus the expressions and
 * conditions the write statements reuse.
 */
import { Cursor, SqlError } from "./lexer.ts";

/** A scalar expression. */
export type Expr =
  | { readonly kind: "ref"; readonly qualifier?: string; readonly name: string }
  | { readonly kind: "lit"; readonly value: string | number | boolean | null }
  | { readonly kind: "agg"; readonly fn: "count" | "sum" | "min" | "max" | "avg"; readonly arg: Expr | "*"; readonly distinct: boolean }
  | { readonly kind: "func"; readonly name: string; readonly args: readonly Expr[] };

/** A boolean condition. */
export type Cond =
  | { readonly kind: "and" | "or"; readonly left: Cond; readonly right: Cond }
  | { readonly kind: "not"; readonly inner: Cond }
  | { readonly kind: "cmp"; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "isnull"; readonly expr: Expr; readonly negated: boolean }
  | { readonly kind: "like"; readonly expr: Expr; readonly pattern: Expr; readonly negated: boolean; readonly insensitive: boolean }
  | { readonly kind: "in"; readonly expr: Expr; readonly values: readonly Expr[]; readonly negated: boolean };

/** A table or view in FROM/JOIN, with its alias (the table name when none). */
export interface Source {
  readonly table: string;
  readonly alias: string;
}

/** A parsed SELECT. */
export interface Select {
  readonly distinct: boolean;
  readonly items: readonly ({ readonly kind: "star"; readonly qualifier?: string } | { readonly kind: "expr"; readonly expr: Expr; readonly alias?: string })[];
  readonly from?: Source;
  readonly joins: readonly { readonly source: Source; readonly left: boolean; readonly on: Cond }[];
  readonly where?: Cond;
  readonly groupBy: readonly Expr[];
  readonly having?: Cond;
  readonly orderBy: readonly { readonly expr: Expr; readonly desc: boolean }[];
  readonly limit?: number;
  readonly offset?: number;
}

const AGGREGATES = new Set(["COUNT", "SUM", "MIN", "MAX", "AVG"]);
const CLAUSE_WORDS = new Set(["FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "JOIN", "LEFT", "INNER", "RIGHT", "FULL", "CROSS", "ON", "AS", "AND", "OR", "UNION", "ASC", "DESC", "NULLS", "SET", "VALUES", "RETURNING"]);

/** Parse a SELECT starting at the cursor (the SELECT keyword included). */
export function parseSelect(cur: Cursor): Select {
  cur.expect("SELECT");
  const distinct = cur.accept("DISTINCT");
  const items: Select["items"][number][] = [];
  do {
    if (cur.accept("*")) items.push({ kind: "star" });
    else if ((cur.peek().kind === "word" || cur.peek().kind === "ident") && cur.peek(1).text === "." && cur.peek(2).text === "*") {
      const qualifier = cur.name();
      cur.next();
      cur.next();
      items.push({ kind: "star", qualifier });
    } else {
      const expr = parseExpr(cur);
      const alias = cur.accept("AS") ? cur.name() : isAliasToken(cur) ? cur.name() : undefined;
      items.push({ kind: "expr", expr, alias });
    }
  } while (cur.accept(","));
  let from: Source | undefined;
  const joins: { source: Source; left: boolean; on: Cond }[] = [];
  if (cur.accept("FROM")) {
    from = parseSource(cur);
    for (;;) {
      const left = cur.accept("LEFT");
      if (!left) cur.accept("INNER");
      else cur.accept("OUTER");
      if (!cur.accept("JOIN")) {
        if (left) throw cur.syntaxError();
        break;
      }
      const source = parseSource(cur);
      cur.expect("ON");
      joins.push({ source, left, on: parseCond(cur) });
    }
  }
  const where = cur.accept("WHERE") ? parseCond(cur) : undefined;
  const groupBy: Expr[] = [];
  if (cur.accept("GROUP")) {
    cur.expect("BY");
    do groupBy.push(parseExpr(cur)); while (cur.accept(","));
  }
  const having = cur.accept("HAVING") ? parseCond(cur) : undefined;
  const orderBy: { expr: Expr; desc: boolean }[] = [];
  if (cur.accept("ORDER")) {
    cur.expect("BY");
    do {
      const expr = parseExpr(cur);
      const desc = cur.accept("DESC") ? true : (cur.accept("ASC"), false);
      if (cur.accept("NULLS")) cur.next();
      orderBy.push({ expr, desc });
    } while (cur.accept(","));
  }
  let limit: number | undefined;
  let offset: number | undefined;
  for (;;) {
    if (cur.accept("LIMIT")) limit = integer(cur);
    else if (cur.accept("OFFSET")) offset = integer(cur);
    else break;
  }
  if (cur.is("UNION") || cur.is("WITH")) throw new SqlError(`the RunOS sandbox's SQL engine does not support ${cur.peek().upper}; try a simpler statement`);
  return { distinct, items, from, joins, where, groupBy, having, orderBy, limit, offset };
}

function isAliasToken(cur: Cursor): boolean {
  const token = cur.peek();
  return token.kind === "ident" || (token.kind === "word" && !CLAUSE_WORDS.has(token.upper));
}

function integer(cur: Cursor): number {
  const token = cur.next();
  if (token.kind !== "number" || !/^\d+$/.test(token.text)) throw new SqlError(`syntax error at or near "${token.text}"`);
  return Number(token.text);
}

function parseSource(cur: Cursor): Source {
  if (cur.is("(")) throw new SqlError("the RunOS sandbox's SQL engine does not support subqueries in FROM");
  let table = cur.name();
  if (cur.accept(".")) table = `${table}.${cur.name()}`;
  if (table.startsWith("public.")) table = table.slice("public.".length);
  const alias = cur.accept("AS") ? cur.name() : isAliasToken(cur) ? cur.name() : table.split(".").pop()!;
  return { table, alias };
}

/** Parse a condition: OR of ANDs of (NOT) predicates. */
export function parseCond(cur: Cursor): Cond {
  let left = parseAnd(cur);
  while (cur.accept("OR")) left = { kind: "or", left, right: parseAnd(cur) };
  return left;
}

function parseAnd(cur: Cursor): Cond {
  let left = parsePredicate(cur);
  while (cur.accept("AND")) left = { kind: "and", left, right: parsePredicate(cur) };
  return left;
}

function parsePredicate(cur: Cursor): Cond {
  if (cur.accept("NOT")) return { kind: "not", inner: parsePredicate(cur) };
  if (cur.is("(") && !(cur.peek(1).upper === "SELECT")) {
    cur.next();
    const inner = parseCond(cur);
    cur.expect(")");
    return inner;
  }
  const expr = parseExpr(cur);
  if (cur.accept("IS")) {
    const negated = cur.accept("NOT");
    cur.expect("NULL");
    return { kind: "isnull", expr, negated };
  }
  const negated = cur.accept("NOT");
  if (cur.is("LIKE") || cur.is("ILIKE")) {
    const insensitive = cur.next().upper === "ILIKE";
    return { kind: "like", expr, pattern: parseExpr(cur), negated, insensitive };
  }
  if (cur.accept("IN")) {
    cur.expect("(");
    const values: Expr[] = [];
    do values.push(parseExpr(cur)); while (cur.accept(","));
    cur.expect(")");
    return { kind: "in", expr, values, negated };
  }
  if (negated) throw cur.syntaxError();
  const op = cur.peek();
  if (op.kind === "op" && ["=", "<>", "!=", "<", ">", "<=", ">="].includes(op.text)) {
    cur.next();
    return { kind: "cmp", op: op.text === "!=" ? "<>" : op.text, left: expr, right: parseExpr(cur) };
  }
  return { kind: "cmp", op: "=", left: expr, right: { kind: "lit", value: true } };
}

/** Parse a scalar expression: literal, column reference, aggregate or function call (casts ignored). */
export function parseExpr(cur: Cursor): Expr {
  const expr = parsePrimary(cur);
  while (cur.accept("::")) {
    cur.name();
    if (cur.accept("(")) while (!cur.accept(")")) cur.next();
  }
  return expr;
}

function parsePrimary(cur: Cursor): Expr {
  const token = cur.peek();
  if (token.kind === "string") return cur.next(), { kind: "lit", value: token.text };
  if (token.kind === "number") return cur.next(), { kind: "lit", value: Number(token.text) };
  if (token.kind === "op" && token.text === "-" && cur.peek(1).kind === "number") {
    cur.next();
    return { kind: "lit", value: -Number(cur.next().text) };
  }
  if (token.kind === "word" && ["TRUE", "FALSE", "NULL"].includes(token.upper)) {
    cur.next();
    return { kind: "lit", value: token.upper === "NULL" ? null : token.upper === "TRUE" };
  }
  if (token.kind !== "word" && token.kind !== "ident") throw cur.syntaxError();
  if (token.kind === "word" && CLAUSE_WORDS.has(token.upper)) throw cur.syntaxError();
  const first = cur.name();
  if (cur.accept("(")) {
    const upper = first.toUpperCase();
    if (AGGREGATES.has(upper)) {
      const distinct = cur.accept("DISTINCT");
      const arg = cur.accept("*") ? "*" : parseExpr(cur);
      cur.expect(")");
      return { kind: "agg", fn: first.toLowerCase() as "count", arg, distinct };
    }
    const args: Expr[] = [];
    if (!cur.accept(")")) {
      do args.push(parseExpr(cur)); while (cur.accept(","));
      cur.expect(")");
    }
    return { kind: "func", name: first.toLowerCase(), args };
  }
  if (cur.accept(".")) return { kind: "ref", qualifier: first, name: cur.name() };
  return { kind: "ref", name: first };
}
