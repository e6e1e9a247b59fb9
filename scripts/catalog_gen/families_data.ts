/**
 * Verbs of the data services: the SQL family (PostgreSQL, MySQL, ClickHouse: exec-sql, databases,
 * users, grants), Valkey (clear-cache, set-data…) and MinIO (buckets, objects, access keys), with the
 * names RunOS's public record gives them (§4.4, §4.5). Where the fake API models a command in depth
 * under our baseline's name, the field names here match that command's, so the same handler serves it.
 */
import { type CommandSpec, JOB_ID } from "./command.ts";
import { verbsOf } from "./family_verb.ts";
import { choice, flag, integer, positional, stringArray, text } from "./fields.ts";
import type { ServiceType } from "./service_types.ts";

const SQL_NAME = "^[a-z_][a-z0-9_]{0,62}$";
const CONNECTION = ["host", "port", "database", "username", "password", "connectionString"];

/** exec-sql and the database/user verbs of a SQL service. */
export function sqlVerbs(t: ServiceType, options: { readonly grants: boolean; readonly defaultDatabase: string }): CommandSpec[] {
  const verb = verbsOf(t);
  const username = text("username", "The database user (role) name.", { required: true, pattern: SQL_NAME });
  const database = text("database", "The database name.", { required: true, pattern: SQL_NAME });
  const privileges = choice("privileges", "What the user may do in that database.", ["readonly", "readwrite", "owner"], { default: "readwrite" });
  return [
    verb("exec-sql", {
      method: "POST", tier: "sensitive_write",
      summary: `Run a SQL statement on a ${t.label} service and return columns and rows; read-only unless readWrite is set.`,
      topics: ["execSql", "confirm"],
      fields: [
        text("query", "The SQL to run, e.g. SELECT * FROM users LIMIT 10. One statement per call.", { required: true }),
        text("database", "Database to connect to.", { default: options.defaultDatabase }),
        integer("timeoutSeconds", "Cancel the statement after this many seconds.", { default: 60, minimum: 1, maximum: 600 }),
      ],
      flags: [flag("readWrite", "Allow statements that change data or schema")],
      output: { type: "object", fields: [{ name: "columns", type: "array" }, { name: "rows", type: "array" }, { name: "rowCount", type: "integer" }, { name: "readOnly", type: "boolean" }] },
    }),
    verb("databases", {
      method: "GET", tier: "read",
      summary: `List the databases of a ${t.label} service with their owner and size.`,
      output: { type: "array", fields: ["name", "owner", "sizeMb", "tables"] },
    }),
    verb("create-database", {
      method: "POST", tier: "write", sub: "databases",
      summary: `Create a database on a ${t.label} service, owned by an existing user.`,
      topics: ["sqlRoles"],
      fields: [text("name", "Database name: lower-case letters, digits and underscores.", { required: true, pattern: SQL_NAME }), text("owner", "Existing user that owns the database.", { default: options.defaultDatabase })],
      output: { type: "object", fields: ["name", "owner"] },
    }),
    verb("drop-database", {
      method: "DELETE", tier: "sensitive_write", sub: "databases/:database",
      summary: `Drop one database of a ${t.label} service with all its tables; connected sessions are terminated first.`,
      topics: ["deleteService", "confirm"], fields: [positional("database", "The database to drop.")],
      output: { type: "object", fields: ["name", { name: "dropped", type: "boolean" }] },
    }),
    verb("users", {
      method: "GET", tier: "read",
      summary: `List the users (roles) of a ${t.label} service with the database each can use and its privileges.`,
      output: { type: "array", fields: ["username", "database", "privileges"] },
    }),
    verb("create-user", {
      method: "POST", tier: "write+sensitive", sub: "users",
      summary: `Create a user on a ${t.label} service with privileges on one database; the answer carries its generated password once.`,
      topics: ["sqlRoles", "credentials"], fields: [username, database, privileges],
      output: { type: "object", fields: ["username", "database", "privileges", "password"] },
    }),
    verb("drop-user", {
      method: "DELETE", tier: "write", sub: "users/:username",
      summary: `Drop one user of a ${t.label} service; objects it owns are reassigned to the admin user.`,
      topics: ["confirm", "sqlRoles"], fields: [positional("username", "The user to drop.")],
      output: { type: "object", fields: ["username", { name: "dropped", type: "boolean" }] },
    }),
    verb("user-credentials", {
      method: "GET", tier: "sensitive_read",
      summary: `Reveal the password and connection string of one user of a ${t.label} service.`,
      topics: ["credentials"], fields: [text("username", "The user whose credentials to show.", { required: true })],
      output: { type: "object", fields: CONNECTION },
    }),
    ...(options.grants
      ? [
        verb("grant-database", {
          method: "POST", tier: "write",
          summary: `Grant one user privileges on a database of a ${t.label} service.`,
          topics: ["sqlRoles"], fields: [username, database, privileges],
          output: { type: "object", fields: ["username", "database", "privileges"] },
        }),
        verb("revoke-database", {
          method: "POST", tier: "write",
          summary: `Revoke every privilege one user has on a database of a ${t.label} service; the user keeps its login.`,
          topics: ["sqlRoles", "confirm"], fields: [username, database],
          output: { type: "object", fields: ["username", "database", { name: "revoked", type: "boolean" }] },
        }),
        verb("slow-queries", {
          method: "GET", tier: "read",
          summary: `List the slowest recent statements of a ${t.label} service with their mean and total time and call count.`,
          fields: [integer("limit", "At most this many statements.", { default: 20, minimum: 1, maximum: 200 })],
          output: { type: "array", fields: ["query", "calls", "meanMs", "totalMs", "rows"] },
        }),
      ]
      : []),
  ];
}

/** PostgreSQL: the SQL family plus adopt-user, admin credentials, schema, extensions, connections, failover. */
export function postgresqlVerbs(t: ServiceType): CommandSpec[] {
  const verb = verbsOf(t);
  return [
    ...sqlVerbs(t, { grants: true, defaultDatabase: "postgres" }),
    verb("adopt-user", {
      method: "POST", tier: "sensitive_write",
      summary: "Take over an existing PostgreSQL role so RunOS manages its password; give exactly one of password or rotatePassword.",
      topics: ["sqlRoles", "rotate"],
      fields: [text("username", "The existing role.", { required: true, pattern: SQL_NAME }), text("password", "The role's current password, to keep it."), text("database", "Database the role mainly uses.")],
      flags: [flag("rotatePassword", "Generate a new password instead of keeping the current one")],
      output: { type: "object", fields: ["username", "database", { name: "rotated", type: "boolean" }] },
    }),
    verb("admin-credentials", {
      method: "GET", tier: "sensitive_read",
      summary: "Reveal the superuser credentials of a PostgreSQL service; use them only for administration, never in apps.",
      topics: ["credentials"],
      output: { type: "object", fields: CONNECTION },
    }),
    verb("schema", {
      method: "GET", tier: "read",
      summary: "Describe the tables, columns, indexes and views of one schema in a PostgreSQL database.",
      fields: [text("database", "Database to describe.", { default: "postgres" }), text("schema", "Schema to describe.", { default: "public" })],
      output: { type: "object", fields: [{ name: "tables", type: "array" }, { name: "views", type: "array" }] },
    }),
    verb("extensions", {
      method: "GET", tier: "read",
      summary: "List the extensions installed in a PostgreSQL database and the ones available to install.",
      fields: [text("database", "Database to look in.", { default: "postgres" })],
      output: { type: "array", fields: ["name", "version", { name: "installed", type: "boolean" }] },
    }),
    verb("install-extension", {
      method: "POST", tier: "write",
      summary: "Install an extension into one PostgreSQL database.",
      fields: [choice("name", "The extension.", ["pgvector", "postgis", "pg_trgm", "pg_stat_statements", "timescaledb", "hstore", "uuid-ossp"], { required: true }), text("database", "Database to install it in.", { default: "postgres" })],
      output: { type: "object", fields: ["name", "version"] },
    }),
    verb("connections", {
      method: "GET", tier: "read",
      summary: "List the open connections of a PostgreSQL service: user, database, client address, state and the running statement.",
      output: { type: "array", fields: ["pid", "username", "database", "clientAddr", "state", "startedAt"] },
    }),
    verb("failover", {
      method: "POST", tier: "write", returnsJob: true,
      summary: "Promote a replica of a PostgreSQL service to primary; clients reconnect through the pooler within seconds.",
      topics: ["job"], fields: [text("targetPod", "The replica to promote; the most up-to-date one when absent.")],
      output: { type: "object", fields: ["id", "newPrimary", JOB_ID] },
    }),
    verb("restore-to-time", {
      method: "POST", tier: "write", returnsJob: true,
      summary: "Restore a PostgreSQL service to a point in time from its continuous archive, replacing the current data.",
      topics: ["backups", "job", "confirm"], fields: [text("targetTime", "RFC 3339 time to restore to, within the retention window.", { required: true })],
      output: { type: "object", fields: ["id", "targetTime", JOB_ID] },
    }),
  ];
}

/** ClickHouse: exec-sql, databases, users, and its tables. */
export function clickhouseVerbs(t: ServiceType): CommandSpec[] {
  const verb = verbsOf(t);
  return [
    ...sqlVerbs(t, { grants: false, defaultDatabase: "default" }),
    verb("tables", {
      method: "GET", tier: "read",
      summary: "List the tables of a ClickHouse database with their engine, row count and compressed size.",
      fields: [text("database", "Database to look in.", { default: "default" })],
      output: { type: "array", fields: ["name", "engine", "rows", "compressedMb"] },
    }),
  ];
}

/** Valkey: clear-cache, set-data and inspection. */
export function valkeyVerbs(t: ServiceType): CommandSpec[] {
  const verb = verbsOf(t);
  return [
    verb("clear-cache", {
      method: "POST", tier: "write",
      summary: "Delete every key of a Valkey cache, or the keys matching a pattern; there is no undo.",
      topics: ["confirm"], fields: [text("pattern", "Only keys matching this glob, e.g. session:*.", { default: "*" })],
      flags: [flag("async", "Free memory in the background")],
      output: { type: "object", fields: [{ name: "deletedKeys", type: "integer" }] },
    }),
    verb("set-data", {
      method: "POST", tier: "write",
      summary: "Set one key of a Valkey cache to a string value, replacing what was there.",
      fields: [text("key", "The key.", { required: true }), text("value", "The value.", { required: true }), integer("ttlSeconds", "Expire the key after this many seconds.", { minimum: 1 })],
      output: { type: "object", fields: ["key", { name: "ttlSeconds", type: "integer" }] },
    }),
    verb("get-data", {
      method: "GET", tier: "read",
      summary: "Read the value and remaining time to live of one key of a Valkey cache.",
      fields: [text("key", "The key.", { required: true })],
      output: { type: "object", fields: ["key", "type", "value", { name: "ttlSeconds", type: "integer" }] },
    }),
    verb("keys", {
      method: "GET", tier: "read",
      summary: "List keys of a Valkey cache matching a pattern, scanning incrementally so the cache is not blocked.",
      fields: [text("pattern", "Glob to match.", { default: "*" }), integer("count", "At most this many keys.", { default: 100, minimum: 1, maximum: 10000 })],
      output: { type: "array", fields: ["key", "type", { name: "ttlSeconds", type: "integer" }] },
    }),
    verb("info", {
      method: "GET", tier: "read",
      summary: "Show the INFO sections of a Valkey cache: memory, clients, persistence, replication and keyspace.",
      fields: [choice("section", "Only this section.", ["server", "clients", "memory", "persistence", "stats", "replication", "keyspace"])],
      output: { type: "object", fields: [{ name: "sections", type: "object" }] },
    }),
    verb("slowlog", {
      method: "GET", tier: "read",
      summary: "List the slowest recent commands a Valkey cache executed, with duration and client.",
      fields: [integer("limit", "At most this many entries.", { default: 20, minimum: 1, maximum: 128 })],
      output: { type: "array", fields: ["id", "at", "durationUs", "command", "client"] },
    }),
  ];
}

/** MinIO: buckets, objects and access keys. */
export function minioVerbs(t: ServiceType): CommandSpec[] {
  const verb = verbsOf(t);
  const bucket = positional("bucket", "The bucket name.");
  const access = choice("access", "Anonymous access policy.", ["private", "public-read", "public-read-write"], { default: "private" });
  return [
    verb("buckets", {
      method: "GET", tier: "read",
      summary: "List the buckets of a MinIO object store with their access policy, object count and size.",
      output: { type: "array", fields: ["name", "access", "objects", "sizeMb", "createdAt", "url"] },
    }),
    verb("create-bucket", {
      method: "POST", tier: "write", sub: "buckets",
      summary: "Create a bucket in a MinIO object store; access public-read lets anyone on the internet download its objects.",
      fields: [text("name", "Bucket name: 3-63 lower-case letters, digits, dots and hyphens.", { required: true, pattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$" }), access],
      output: { type: "object", fields: ["name", "access", "url"] },
    }),
    verb("delete-bucket", {
      method: "DELETE", tier: "write", sub: "buckets/:bucket",
      summary: "Delete an empty bucket from a MinIO object store; set force to delete its objects too.",
      topics: ["confirm"], fields: [bucket], flags: [flag("force", "Delete the bucket's objects too")],
      output: { type: "object", fields: ["name", { name: "deleted", type: "boolean" }] },
    }),
    verb("set-bucket-access", {
      method: "PATCH", tier: "write", sub: "buckets/:bucket/access",
      summary: "Change the anonymous access policy of one MinIO bucket (private, public-read or public-read-write).",
      fields: [bucket, choice("access", "New anonymous access policy.", ["private", "public-read", "public-read-write"], { required: true })],
      output: { type: "object", fields: ["name", "access"] },
    }),
    verb("objects", {
      method: "GET", tier: "read", sub: "buckets/:bucket/objects",
      summary: "List the objects of one MinIO bucket under a prefix with their size and last change.",
      fields: [bucket, text("prefix", "Only keys starting with this."), integer("limit", "At most this many objects.", { default: 100, minimum: 1, maximum: 1000 })],
      output: { type: "array", fields: ["key", "sizeBytes", "lastModified", "etag"] },
    }),
    verb("get-object", {
      method: "GET", tier: "sensitive_read", sub: "buckets/:bucket/object",
      summary: "Download one object of a MinIO bucket (up to 1 MiB), as text or base64; object contents may hold anything, secrets included.",
      topics: ["credentials"], fields: [bucket, text("key", "The object key.", { required: true })],
      output: { type: "object", fields: ["key", "contentType", "sizeBytes", "encoding", "content"] },
    }),
    verb("delete-object", {
      method: "DELETE", tier: "write", sub: "buckets/:bucket/object",
      summary: "Delete one object from a MinIO bucket; versioned buckets keep a delete marker.",
      topics: ["confirm"], fields: [bucket, text("key", "The object key.", { required: true })],
      output: { type: "object", fields: ["key", { name: "deleted", type: "boolean" }] },
    }),
    verb("bucket-usage", {
      method: "GET", tier: "read", sub: "buckets/:bucket/usage",
      summary: "Show the size, object count and growth over the last week of one MinIO bucket.",
      fields: [bucket],
      output: { type: "object", fields: ["name", "objects", "sizeMb", "growthMbPerDay"] },
    }),
    verb("access-keys", {
      method: "GET", tier: "sensitive_read",
      summary: "List the access keys of a MinIO object store with their policy and, for each, its secret key.",
      topics: ["credentials"],
      output: { type: "array", fields: ["accessKey", "secretKey", "policy", "createdAt"] },
    }),
    verb("create-access-key", {
      method: "POST", tier: "sensitive_write", sub: "access-keys",
      summary: "Create an access key for a MinIO object store limited to some buckets; its secret key is shown once.",
      fields: [stringArray("buckets", "Buckets the key may use; all when empty.", { allowEmpty: true }), choice("policy", "What the key may do.", ["readonly", "readwrite", "writeonly"], { default: "readwrite" })],
      output: { type: "object", fields: ["accessKey", "secretKey", "policy"] },
    }),
    verb("revoke-access-key", {
      method: "DELETE", tier: "sensitive_write", sub: "access-keys/:accessKeyId",
      summary: "Revoke one access key of a MinIO object store; clients using it fail at once.",
      topics: ["confirm"], fields: [positional("accessKeyId", "The access key to revoke.")],
      output: { type: "object", fields: ["accessKey", { name: "revoked", type: "boolean" }] },
    }),
  ];
}
