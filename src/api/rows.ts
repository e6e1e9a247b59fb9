/**
 * The rows of a list answer, for the CLI's tables and the cluster lookup alike. No package import:
 * an MCP server loads this on its first cluster-scoped call, before the SDK and zod.
 */

/** A bare array, or the only array-valued property of an object (a `warnings` list beside it aside). */
export function rowsOf(value: unknown): Record<string, unknown>[] | undefined {
  const isRecord = (item: unknown): item is Record<string, unknown> => item !== null && typeof item === "object" && !Array.isArray(item);
  if (Array.isArray(value)) return value.map((row) => (isRecord(row) ? row : { value: row }));
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((key) => key !== "warnings");
    if (keys.length === 1 && Array.isArray(value[keys[0]!])) return rowsOf(value[keys[0]!]);
  }
  return undefined;
}
