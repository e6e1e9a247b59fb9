import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";

const SQL_PATH = "/acme/i4y/services/postgresql/k7m2p/exec-sql";
const COUNTS = "SELECT u.id, u.name, COUNT(p.id) AS post_count FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.id, u.name ORDER BY post_count DESC, u.id";

describe("fake API PostgreSQL", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("exec-sql runs a SELECT read-only by default and answers columns, rows, rowCount, readOnly", async () => {
    const answer = await call(h, "POST", SQL_PATH, { body: { query: "SELECT id, email FROM users WHERE id <= 2 ORDER BY id" } });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.columns, ["id", "email"]);
    assert.deepEqual(answer.body.rows, [{ id: 1, email: "ada@example.com" }, { id: 2, email: "grace@example.com" }]);
    assert.equal(answer.body.rowCount, 2);
    assert.equal(answer.body.readOnly, true);
  });

  it("exec-sql counts posts per user with a LEFT JOIN, users without posts included", async () => {
    const { body } = await call(h, "POST", SQL_PATH, { body: { query: COUNTS } });
    assert.deepEqual(body.columns, ["id", "name", "post_count"]);
    assert.equal(body.rowCount, 6);
    assert.deepEqual(body.rows[0], { id: 1, name: "Ada Lovelace", post_count: 3 });
    assert.equal(body.rows.find((row: { id: number }) => row.id === 6).post_count, 0);
  });

  it("refuses CREATE VIEW without readWrite with PostgreSQL's read-only message and changes nothing", async () => {
    h.api.reset();
    const answer = await call(h, "POST", SQL_PATH, { body: { query: `CREATE VIEW user_post_counts AS ${COUNTS}` } });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "cannot execute CREATE VIEW in a read-only transaction");
    assert.deepEqual(h.api.state.postgresql.k7m2p!.databases[0]!.views, {});
  });

  it("creates a view with readWrite and selects from it afterwards", async () => {
    h.api.reset();
    const created = await call(h, "POST", SQL_PATH, { body: { query: `CREATE VIEW user_post_counts AS ${COUNTS};`, flags: { readWrite: true } } });
    assert.equal(created.status, 200);
    assert.equal(created.body.command, "CREATE VIEW");
    assert.equal(created.body.readOnly, false);
    const selected = await call(h, "POST", SQL_PATH, { body: { query: "SELECT name, post_count FROM user_post_counts WHERE post_count >= 2 ORDER BY name" } });
    assert.deepEqual(selected.body.rows, [
      { name: "Ada Lovelace", post_count: 3 },
      { name: "Edsger Dijkstra", post_count: 3 },
      { name: "Grace Hopper", post_count: 2 },
    ]);
  });

  it("refuses every write statement without readWrite", async () => {
    for (const [sql, tag] of [
      ["INSERT INTO users (email, name) VALUES ('x@example.com', 'X')", "INSERT"],
      ["UPDATE posts SET published = true", "UPDATE"],
      ["DELETE FROM posts", "DELETE"],
      ["DROP TABLE posts", "DROP TABLE"],
      ["CREATE TABLE t (id integer)", "CREATE TABLE"],
      ["SELECT 1; TRUNCATE posts", "TRUNCATE TABLE"],
    ]) {
      const answer = await call(h, "POST", SQL_PATH, { body: { query: sql } });
      assert.equal(answer.status, 400, sql);
      assert.equal(answer.body.error, `cannot execute ${tag} in a read-only transaction`);
    }
  });

  it("runs INSERT, UPDATE and DELETE with readWrite", async () => {
    h.api.reset();
    const rw = { readWrite: true };
    const inserted = await call(h, "POST", SQL_PATH, { body: { query: "INSERT INTO users (email, name) VALUES ('linus@example.com', 'Linus'), ('guido@example.com', 'Guido')", flags: rw } });
    assert.equal(inserted.body.rowCount, 2);
    const updated = await call(h, "POST", SQL_PATH, { body: { query: "UPDATE users SET name = 'Linus T.' WHERE email = 'linus@example.com'", flags: rw } });
    assert.equal(updated.body.command, "UPDATE 1");
    const deleted = await call(h, "POST", SQL_PATH, { body: { query: "DELETE FROM users WHERE name LIKE 'Guido%'", flags: rw } });
    assert.equal(deleted.body.rowCount, 1);
    const rows = (await call(h, "POST", SQL_PATH, { body: { query: "SELECT id, name FROM users WHERE id > 6" } })).body.rows;
    assert.deepEqual(rows, [{ id: 7, name: "Linus T." }]);
  });

  it("answers PostgreSQL errors as 400 for a missing relation or column and a syntax error", async () => {
    const relation = await call(h, "POST", SQL_PATH, { body: { query: "SELECT * FROM comments" } });
    assert.equal(relation.status, 400);
    assert.equal(relation.body.error, 'relation "comments" does not exist');
    const column = await call(h, "POST", SQL_PATH, { body: { query: "SELECT nickname FROM users" } });
    assert.match(column.body.error, /column nickname does not exist/);
    const syntax = await call(h, "POST", SQL_PATH, { body: { query: "SELEKT 1" } });
    assert.match(syntax.body.error, /syntax error at or near "SELEKT"/);
  });

  it("exec-sql needs its query, and answers 404 for an unknown database", async () => {
    const missing = await call(h, "POST", SQL_PATH, { body: {} });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.fields[0].name, "query");
    const database = await call(h, "POST", SQL_PATH, { body: { query: "SELECT 1", database: "nope" } });
    assert.equal(database.status, 404);
  });

  it("exec-sql rejects an unknown flag with 422", async () => {
    const answer = await call(h, "POST", SQL_PATH, { body: { query: "SELECT 1", flags: { superuser: true } } });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.fields[0].name, "flags.superuser");
  });

  it("lists databases and creates one, refusing a duplicate with 409", async () => {
    h.api.reset();
    const listed = (await call(h, "GET", "/acme/i4y/services/postgresql/k7m2p/databases")).body;
    assert.deepEqual(listed.map((db: { name: string }) => db.name), ["postgres", "analytics"]);
    const created = await call(h, "POST", "/acme/i4y/services/postgresql/k7m2p/databases", { body: { name: "reports", owner: "readonly_bi" } });
    assert.deepEqual(created.body, { name: "reports", owner: "readonly_bi" });
    assert.equal((await call(h, "POST", "/acme/i4y/services/postgresql/k7m2p/databases", { body: { name: "reports" } })).status, 409);
    const badOwner = await call(h, "POST", "/acme/i4y/services/postgresql/k7m2p/databases", { body: { name: "other", owner: "ghost" } });
    assert.equal(badOwner.status, 422);
  });

  it("lists users without passwords and creates a user answering its generated password once", async () => {
    h.api.reset();
    const listed = (await call(h, "GET", "/acme/i4y/services/postgresql/k7m2p/users")).body;
    assert.ok(listed.length >= 2);
    assert.ok(listed.every((user: Record<string, unknown>) => !("password" in user)));
    const created = await call(h, "POST", "/acme/i4y/services/postgresql/k7m2p/users", { body: { username: "report_reader", database: "analytics", privileges: "readonly" } });
    assert.equal(created.status, 200);
    assert.equal(typeof created.body.password, "string");
    assert.ok(h.api.knownSecrets().includes(created.body.password));
    assert.equal((await call(h, "POST", "/acme/i4y/services/postgresql/k7m2p/users", { body: { username: "report_reader", database: "analytics" } })).status, 409);
    const badDb = await call(h, "POST", "/acme/i4y/services/postgresql/k7m2p/users", { body: { username: "x_user", database: "nowhere" } });
    assert.equal(badDb.status, 422);
  });
});
