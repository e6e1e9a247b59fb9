/**
 * RunOS's names for commands the fake API models in depth under our baseline's names: the same API
 * call, served by the same handler. `rename` maps RunOS's field names onto the handler's (RunOS's
 * exec-sql takes `query` where our baseline says `sql`).
 */

/** Which in-depth handler serves a RunOS command path, and how its inputs are renamed for it. */
export interface Alias {
  readonly handler: string;
  readonly rename?: Readonly<Record<string, string>>;
}

/** RunOS command path → the in-depth handler that serves it. */
export const RUNOS_ALIASES: Readonly<Record<string, Alias>> = {
  "services/postgresql/{id}/exec-sql": { handler: "services/postgresql/{id}/exec-sql", rename: { query: "sql" } },
  "services/postgresql/{id}/databases": { handler: "services/postgresql/{id}/databases/list" },
  "services/postgresql/{id}/create-database": { handler: "services/postgresql/{id}/databases/create" },
  "services/postgresql/{id}/users": { handler: "services/postgresql/{id}/users/list" },
  "services/postgresql/{id}/create-user": { handler: "services/postgresql/{id}/users/create" },
  "services/minio/{id}/buckets": { handler: "services/minio/{id}/buckets/list" },
  "services/minio/{id}/create-bucket": { handler: "services/minio/{id}/buckets/create" },
  "services/minio/{id}/delete-bucket": { handler: "services/minio/{id}/buckets/{bucket}/delete" },
  "apps/{id}/deployments": { handler: "apps/{id}/deployments/list" },
};

/** Inputs with RunOS's field names replaced by the handler's. */
export function renameInput(input: Readonly<Record<string, unknown>>, rename: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  const renamed: Record<string, unknown> = { ...input };
  for (const [from, to] of Object.entries(rename)) {
    if (!(from in renamed)) continue;
    renamed[to] = renamed[from];
    delete renamed[from];
  }
  return renamed;
}
