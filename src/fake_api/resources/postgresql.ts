/**
 * PostgreSQL-only commands: exec-sql (read-only unless the `readWrite` flag is set), databases and
 * users. SQL runs on the fixture tables through the small engine in `../sql/`.
 */
import { type CallContext, type CommandHandlers, mintSecret, serviceOf } from "../context.ts";
import { badRequest, conflict, notFound, unprocessable } from "../envelope.ts";
import type { PostgresData } from "../state.ts";
import { SqlError } from "../sql/lexer.ts";
import { executeSql } from "../sql/statement.ts";

function dataOf(ctx: CallContext): { name: string; data: PostgresData } {
  const service = serviceOf(ctx, "postgresql");
  if (service.status === "provisioning" || service.status === "failed") {
    throw conflict(`postgresql service "${service.name}" is ${service.status} and accepts no connections yet`);
  }
  const data = ctx.state.postgresql[service.id] ??= { databases: [], users: [] };
  return { name: service.name, data };
}

/** PostgreSQL handlers. */
export const postgresqlHandlers: CommandHandlers = {
  "services/postgresql/{id}/exec-sql": (ctx) => {
    const { name, data } = dataOf(ctx);
    const databaseName = String(ctx.input.database);
    const database = data.databases.find((db) => db.name === databaseName);
    if (database === undefined) throw notFound(`database "${databaseName}" does not exist on ${name}`);
    try {
      return executeSql(database, String(ctx.input.query), ctx.flags.readWrite === true);
    } catch (error) {
      if (error instanceof SqlError) throw badRequest(error.message, { code: /read-only transaction/.test(error.message) ? "25006" : "42601" });
      throw error;
    }
  },
  "services/postgresql/{id}/databases": (ctx) =>
    dataOf(ctx).data.databases.map((db) => ({ name: db.name, owner: db.owner, sizeMb: db.sizeMb, tables: Object.keys(db.tables).length })),
  "services/postgresql/{id}/create-database": (ctx) => {
    const { name, data } = dataOf(ctx);
    const database = String(ctx.input.name);
    const owner = String(ctx.input.owner);
    if (data.databases.some((db) => db.name === database)) throw conflict(`database "${database}" already exists on ${name}`);
    if (owner !== "postgres" && !data.users.some((user) => user.username === owner)) {
      throw unprocessable([{ name: "owner", message: `role "${owner}" does not exist; create the user first or leave owner unset` }]);
    }
    data.databases.push({ name: database, owner, sizeMb: 8, tables: {}, views: {} });
    return { name: database, owner };
  },
  "services/postgresql/{id}/users": (ctx) =>
    dataOf(ctx).data.users.map(({ username, database, privileges }) => ({ username, database, privileges })),
  "services/postgresql/{id}/create-user": (ctx) => {
    const { name, data } = dataOf(ctx);
    const username = String(ctx.input.username);
    const database = String(ctx.input.database);
    if (data.users.some((user) => user.username === username)) throw conflict(`role "${username}" already exists on ${name}`);
    if (!data.databases.some((db) => db.name === database)) throw unprocessable([{ name: "database", message: `database "${database}" does not exist on ${name}` }]);
    const privileges = ctx.input.privileges as PostgresData["users"][number]["privileges"];
    const password = mintSecret(ctx.state, `pg-pass-${username.replace(/_/g, "-")}`);
    data.users.push({ username, database, privileges, password });
    return { username, database, privileges, password };
  },
};
