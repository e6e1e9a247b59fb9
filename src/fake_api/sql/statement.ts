/**
 * Run SQL text on a database of the fake PostgreSQL, the way `exec-sql` does: statements split on
 * `;`, all refused in read-only mode when any of them writes (PostgreSQL's "cannot execute … in a
 * read-only transaction"), run in order in read-write mode and rolled back together on an error.
 */
import type { Database } from "../state.ts";
import { Cursor, SqlError, type Token, tokenize } from "./lexer.ts";
import { type Expr, parseCond, parseExpr, parseSelect } from "./parse.ts";
import { evalCond, evalExpr, runSelect } from "./run_select.ts";

/** The answer of `exec-sql`. */
export interface ExecResult {
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number;
  readonly readOnly: boolean;
  /** PostgreSQL's command tag of the last statement, e.g. `SELECT 3`, `CREATE VIEW`. */
  readonly command: string;
}

const WRITE_WORDS = new Set(["INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "COMMENT", "VACUUM", "REINDEX", "COPY"]);
const NO_OP_WORDS = new Set(["BEGIN", "COMMIT", "ROLLBACK", "START", "SET", "SHOW"]);

/** Split tokens into statements at top-level `;`. */
function splitStatements(tokens: readonly Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === "eof" || (token.kind === "op" && token.text === ";")) {
      if (current.length > 0) statements.push([...current, { kind: "eof", text: "", upper: "", start: token.start }]);
      current = [];
    } else current.push(token);
  }
  return statements;
}

/** PostgreSQL's name for a statement: `CREATE VIEW`, `DROP TABLE`, `INSERT`. */
export function statementTag(tokens: readonly Token[]): string {
  const words = tokens.filter((token) => token.kind === "word").map((token) => token.upper);
  const first = words[0] ?? "";
  if (first === "CREATE" || first === "DROP" || first === "ALTER") {
    const object = words.slice(1).find((word) => !["OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY", "MATERIALIZED"].includes(word)) ?? "";
    return `${first} ${words.includes("MATERIALIZED") ? "MATERIALIZED " : ""}${object}`;
  }
  if (first === "TRUNCATE") return "TRUNCATE TABLE";
  return first;
}

/** Execute SQL text; throws SqlError with PostgreSQL's wording on failure. */
export function executeSql(db: Database, sql: string, readWrite: boolean): ExecResult {
  const statements = splitStatements(tokenize(sql));
  if (statements.length === 0) throw new SqlError("syntax error at end of input: no statement given");
  const writes = statements.filter((tokens) => WRITE_WORDS.has(tokens[0]!.upper));
  if (!readWrite && writes.length > 0) throw new SqlError(`cannot execute ${statementTag(writes[0]!)} in a read-only transaction`);
  const snapshot = structuredClone(db);
  try {
    let last: ExecResult | undefined;
    for (const tokens of statements) last = executeOne(db, sql, tokens, readWrite);
    return last!;
  } catch (error) {
    Object.assign(db, snapshot);
    throw error;
  }
}

function executeOne(db: Database, sql: string, tokens: Token[], readWrite: boolean): ExecResult {
  const cur = new Cursor(tokens);
  const first = cur.peek().upper;
  const done = (command: string, rowCount = 0): ExecResult => {
    if (!cur.atEnd()) throw cur.syntaxError();
    return { columns: [], rows: [], rowCount, readOnly: !readWrite, command };
  };
  if (first === "SELECT") {
    const result = runSelect(db, parseSelect(cur));
    if (!cur.atEnd()) throw cur.syntaxError();
    return { ...result, rowCount: result.rows.length, readOnly: !readWrite, command: `SELECT ${result.rows.length}` };
  }
  if (first === "WITH" || first === "EXPLAIN") throw new SqlError(`the RunOS sandbox's SQL engine does not support ${first}; try a simpler statement`);
  if (NO_OP_WORDS.has(first)) {
    while (!cur.atEnd()) cur.next();
    return done(first);
  }
  cur.next();
  switch (first) {
    case "INSERT": {
      cur.expect("INTO");
      const table = tableOf(db, tableName(cur));
      let columns = table.columns.map((column) => column.name);
      if (cur.accept("(")) {
        columns = [];
        do columns.push(cur.name()); while (cur.accept(","));
        cur.expect(")");
        for (const column of columns) if (!table.columns.some((c) => c.name === column)) throw new SqlError(`column "${column}" of relation does not exist`);
      }
      cur.expect("VALUES");
      let count = 0;
      do {
        cur.expect("(");
        const values: Expr[] = [];
        do values.push(parseExpr(cur)); while (cur.accept(","));
        cur.expect(")");
        if (values.length !== columns.length) throw new SqlError("INSERT has more expressions than target columns");
        const row = table.columns.map((column) => {
          const index = columns.indexOf(column.name);
          if (index >= 0) return evalExpr(values[index]!, { row: {} }, []) as string | number | boolean | null;
          return column.name === "id" ? nextId(table.rows) : null;
        });
        table.rows.push(row);
        count++;
      } while (cur.accept(","));
      return done(`INSERT 0 ${count}`, count);
    }
    case "UPDATE": {
      const name = tableName(cur);
      const table = tableOf(db, name);
      cur.expect("SET");
      const sets: [number, Expr][] = [];
      do {
        const column = cur.name();
        const index = table.columns.findIndex((c) => c.name === column);
        if (index < 0) throw new SqlError(`column "${column}" of relation "${name}" does not exist`);
        cur.expect("=");
        sets.push([index, parseExpr(cur)]);
      } while (cur.accept(","));
      const where = cur.accept("WHERE") ? parseCond(cur) : undefined;
      const sources = [{ source: { table: name, alias: name }, columns: table.columns.map((c) => c.name) }];
      let count = 0;
      for (const row of table.rows) {
        const scope = { row: Object.fromEntries(table.columns.map((c, i) => [`${name}.${c.name}`, row[i]])) };
        if (where !== undefined && evalCond(where, scope, sources) !== true) continue;
        for (const [index, expr] of sets) row[index] = evalExpr(expr, scope, sources) as string | number | boolean | null;
        count++;
      }
      return done(`UPDATE ${count}`, count);
    }
    case "DELETE": {
      cur.expect("FROM");
      const name = tableName(cur);
      const table = tableOf(db, name);
      const where = cur.accept("WHERE") ? parseCond(cur) : undefined;
      const sources = [{ source: { table: name, alias: name }, columns: table.columns.map((c) => c.name) }];
      const before = table.rows.length;
      table.rows = table.rows.filter((row) => where !== undefined && evalCond(where, { row: Object.fromEntries(table.columns.map((c, i) => [`${name}.${c.name}`, row[i]])) }, sources) !== true);
      return done(`DELETE ${before - table.rows.length}`, before - table.rows.length);
    }
    case "CREATE":
      return create(db, sql, cur, readWrite);
    case "DROP": {
      const kind = cur.next().upper;
      if (kind !== "TABLE" && kind !== "VIEW") return skipRest(cur, `DROP ${kind}`, readWrite);
      const ifExists = cur.accept("IF") ? (cur.expect("EXISTS"), true) : false;
      do {
        const name = tableName(cur);
        const store = kind === "TABLE" ? db.tables : db.views;
        if (!(name in store)) {
          if (!ifExists) throw new SqlError(`${kind === "TABLE" ? "table" : "view"} "${name}" does not exist`);
        } else delete store[name];
      } while (cur.accept(","));
      cur.accept("CASCADE");
      return done(`DROP ${kind}`);
    }
    case "TRUNCATE": {
      cur.accept("TABLE");
      tableOf(db, tableName(cur)).rows = [];
      return done("TRUNCATE TABLE");
    }
    default:
      if (WRITE_WORDS.has(first)) return skipRest(cur, statementTag(tokens), readWrite);
      throw new SqlError(`syntax error at or near "${tokens[0]!.text}"`);
  }
}

function create(db: Database, sql: string, cur: Cursor, readWrite: boolean): ExecResult {
  const orReplace = cur.accept("OR") ? (cur.expect("REPLACE"), true) : false;
  if (cur.accept("VIEW")) {
    const name = tableName(cur);
    if (name in db.tables) throw new SqlError(`relation "${name}" already exists`);
    if (name in db.views && !orReplace) throw new SqlError(`relation "${name}" already exists`);
    cur.expect("AS");
    const start = cur.peek().start;
    const select = parseSelect(cur);
    const end = cur.peek().start;
    if (!cur.atEnd()) throw cur.syntaxError();
    runSelect(db, select);
    db.views[name] = sql.slice(start, end).trim();
    return { columns: [], rows: [], rowCount: 0, readOnly: !readWrite, command: "CREATE VIEW" };
  }
  if (cur.accept("TABLE")) {
    const ifNotExists = cur.accept("IF") ? (cur.expect("NOT"), cur.expect("EXISTS"), true) : false;
    const name = tableName(cur);
    if (name in db.tables || name in db.views) {
      if (ifNotExists) return skipRest(cur, "CREATE TABLE", readWrite);
      throw new SqlError(`relation "${name}" already exists`);
    }
    cur.expect("(");
    const columns: { name: string; type: string }[] = [];
    do {
      if (["PRIMARY", "UNIQUE", "FOREIGN", "CONSTRAINT", "CHECK"].includes(cur.peek().upper)) skipDefinition(cur);
      else {
        const column = cur.name();
        const type = cur.name();
        columns.push({ name: column, type });
        skipDefinition(cur);
      }
    } while (cur.accept(","));
    cur.expect(")");
    if (!cur.atEnd()) throw cur.syntaxError();
    db.tables[name] = { columns, rows: [] };
    return { columns: [], rows: [], rowCount: 0, readOnly: !readWrite, command: "CREATE TABLE" };
  }
  return skipRest(cur, `CREATE ${cur.peek().upper}`, readWrite);
}

/** Skip to the next top-level `,` or `)` inside a column list. */
function skipDefinition(cur: Cursor): void {
  let depth = 0;
  while (!cur.atEnd()) {
    if (depth === 0 && (cur.is(",") || cur.is(")"))) return;
    if (cur.is("(")) depth++;
    if (cur.is(")")) depth--;
    cur.next();
  }
}

/** Accept a write the engine does not model (ALTER, GRANT, CREATE INDEX…) without changing data. */
function skipRest(cur: Cursor, tag: string, readWrite: boolean): ExecResult {
  while (!cur.atEnd()) cur.next();
  return { columns: [], rows: [], rowCount: 0, readOnly: !readWrite, command: tag };
}

/** A table name, `public.` schema prefix dropped. */
function tableName(cur: Cursor): string {
  const first = cur.name();
  if (!cur.accept(".")) return first;
  const second = cur.name();
  if (first !== "public") throw new SqlError(`schema "${first}" does not exist`);
  return second;
}

function tableOf(db: Database, name: string) {
  const table = db.tables[name];
  if (table === undefined) throw new SqlError(`relation "${name}" does not exist`);
  return table;
}

function nextId(rows: readonly (string | number | boolean | null)[][]): number {
  return rows.reduce((max, row) => Math.max(max, typeof row[0] === "number" ? row[0] : 0), 0) + 1;
}
