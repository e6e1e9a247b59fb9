import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { executeSql } from "../../src/fake_api/sql/statement.ts";
import { SqlError } from "../../src/fake_api/sql/lexer.ts";
import type { Database } from "../../src/fake_api/state.ts";
import { createState } from "../../src/fake_api/state.ts";
import { loadSeed } from "../../src/fake_api/seed.ts";

/** The users-db `postgres` database of the fixtures, fresh for each test. */
function usersDb(): Database {
  return createState(loadSeed()).postgresql.k7m2p!.databases[0]!;
}

describe("fake PostgreSQL SQL engine", () => {
  it("lists tables and views through information_schema.tables", () => {
    const result = executeSql(usersDb(), "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", false);
    assert.deepEqual(result.rows, [{ table_name: "posts" }, { table_name: "support_notes" }, { table_name: "users" }]);
  });

  it("filters with OR, IN, IS NULL, ILIKE and parentheses", () => {
    const db = usersDb();
    const names = (sql: string) => executeSql(db, sql, false).rows.map((row) => row.name);
    assert.deepEqual(names("SELECT name FROM users WHERE id IN (2, 3) ORDER BY id"), ["Grace Hopper", "Alan Turing"]);
    assert.deepEqual(names("SELECT name FROM users WHERE (id = 1 OR id = 6) AND email IS NOT NULL ORDER BY name DESC"), ["Ken Thompson", "Ada Lovelace"]);
    assert.deepEqual(names("SELECT name FROM users WHERE name ILIKE 'a%' ORDER BY 1"), ["Ada Lovelace", "Alan Turing"]);
  });

  it("aggregates without GROUP BY, with DISTINCT, HAVING, LIMIT and OFFSET", () => {
    const db = usersDb();
    assert.deepEqual(executeSql(db, "SELECT count(*) AS n, max(id) FROM posts WHERE published", false).rows, [{ n: 8, max: 10 }]);
    assert.deepEqual(executeSql(db, "SELECT COUNT(DISTINCT user_id) users FROM posts", false).rows, [{ users: 5 }]);
    const busy = executeSql(db, "SELECT user_id, count(*) AS posts FROM posts GROUP BY user_id HAVING count(*) > 1 ORDER BY user_id LIMIT 1 OFFSET 1", false);
    assert.deepEqual(busy.rows, [{ user_id: 2, posts: 2 }]);
  });

  it("suffixes duplicate output columns of SELECT * across a join", () => {
    const result = executeSql(usersDb(), "SELECT * FROM users u JOIN posts p ON p.user_id = u.id WHERE p.id = 4", false);
    assert.ok(result.columns.includes("id") && result.columns.includes("id_2"));
    assert.equal(result.rows[0]!.title, "The first bug");
  });

  it("reports ambiguous columns like PostgreSQL", () => {
    assert.throws(() => executeSql(usersDb(), "SELECT id FROM users u JOIN posts p ON p.user_id = u.id", false), (error: unknown) => error instanceof SqlError && /ambiguous/.test(error.message));
  });

  it("rolls every statement back when a later one fails in read-write mode", () => {
    const db = usersDb();
    assert.throws(() => executeSql(db, "DELETE FROM posts; SELECT * FROM missing_table", true), SqlError);
    assert.equal(db.tables.posts!.rows.length, 10);
  });

  it("creates and drops tables, and refuses an existing name", () => {
    const db = usersDb();
    executeSql(db, "CREATE TABLE tags (id serial PRIMARY KEY, label text NOT NULL, UNIQUE (label))", true);
    assert.deepEqual(db.tables.tags!.columns.map((column) => column.name), ["id", "label"]);
    executeSql(db, "INSERT INTO tags (label) VALUES ('sql')", true);
    assert.deepEqual(executeSql(db, "SELECT * FROM tags", false).rows, [{ id: 1, label: "sql" }]);
    assert.throws(() => executeSql(db, "CREATE TABLE users (id int)", true), /already exists/);
    executeSql(db, "DROP TABLE IF EXISTS tags, nothing_here", true);
    assert.equal(db.tables.tags, undefined);
  });

  it("accepts statements it does not model (ALTER, GRANT) in read-write mode without changing data", () => {
    const db = usersDb();
    assert.equal(executeSql(db, "ALTER TABLE users ADD COLUMN bio text", true).command, "ALTER TABLE");
    assert.equal(executeSql(db, "GRANT SELECT ON users TO readonly_bi", true).command, "GRANT");
    assert.throws(() => executeSql(db, "GRANT SELECT ON users TO readonly_bi", false), /cannot execute GRANT in a read-only transaction/);
  });
});
