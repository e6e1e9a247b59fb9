/**
 * Input fields and flags in the catalog's shape, with the conventions RunOS's catalog uses: integers
 * for sizes (millicores, MiB), arrays of `key`/`key:value` strings with `format: "string_array"`,
 * `allowEmpty` on update fields that may be cleared, and positional `{placeholder}` fields.
 */
import type { Field, Flag } from "../../src/catalog/schema.ts";

/** Optional parts of a field. */
export type FieldExtras = Omit<Field, "name" | "type" | "description">;

/** A string field. */
export function text(name: string, description: string, extras: FieldExtras = {}): Field {
  return { name, type: "string", description, ...extras };
}

/** An integer field. */
export function integer(name: string, description: string, extras: FieldExtras = {}): Field {
  return { name, type: "integer", description, ...extras };
}

/** A boolean field (not a flag: sent as a value). */
export function boolean(name: string, description: string, extras: FieldExtras = {}): Field {
  return { name, type: "boolean", description, ...extras };
}

/** A string field limited to `values`. */
export function choice(name: string, description: string, values: readonly (string | number)[], extras: FieldExtras = {}): Field {
  return { name, type: typeof values[0] === "number" ? "integer" : "string", description, enum: [...values], ...extras };
}

/** An array of strings, as RunOS declares them: `format: "string_array"`. */
export function stringArray(name: string, description: string, extras: FieldExtras = {}): Field {
  return { name, type: "array", description, format: "string_array", itemType: "string", ...extras };
}

/** An object field (a JSON object in the body). */
export function object(name: string, description: string, extras: FieldExtras = {}): Field {
  return { name, type: "object", description, ...extras };
}

/** A `{placeholder}` of the command path. */
export function positional(name: string, description: string): Field {
  return { name, type: "string", description, required: true, positional: true };
}

/** A boolean flag, sent under `flags`. */
export function flag(name: string, description: string, defaultValue = false): Flag {
  return { name, description, default: defaultValue };
}

/** The `{id}` of a service, app or other resource. */
export function idOf(what: string): Field {
  return positional("id", `The ${what} id (5 characters, e.g. from the list command); the name works too.`);
}

/** Names RunOS accepts for new resources. */
export const NAME_PATTERN = "^[a-z][a-z0-9-]{1,38}$";

/** The `name` of a new resource. */
export function nameField(what: string): Field {
  return text("name", `Name of the new ${what}: 2–39 lower-case letters, digits and hyphens, starting with a letter. Unique per type in the cluster.`, { required: true, pattern: NAME_PATTERN });
}

/** Placement by node tags. */
export function nodeAffinityTags(extras: FieldExtras = {}): Field {
  return stringArray("nodeAffinityTags", "Node tags the pods must run on, each `key` or `key:value` (e.g. `gpu:a100`, `disk:nvme`). All must match.", extras);
}

/** The fields every add and update sizes a workload with (CPU, memory, replicas). */
export function sizing(options: { readonly update: boolean; readonly replicasMax?: number }): Field[] {
  const clear = options.update ? { allowEmpty: true } : {};
  return [
    integer("replicas", "Number of replicas. A value different from the resource class makes the class `custom`.", { minimum: 1, maximum: options.replicasMax ?? 9 }),
    integer("cpuRequestMc", "CPU reserved per replica, in millicores (1000 = one core).", { minimum: 50, maximum: 64000 }),
    integer("cpuLimitMc", "CPU ceiling per replica, in millicores; throttled above it.", { minimum: 50, maximum: 64000 }),
    integer("memoryRequestMb", "Memory reserved per replica, in MiB.", { minimum: 64, maximum: 524288 }),
    integer("memoryLimitMb", "Memory ceiling per replica, in MiB; the container restarts above it.", { minimum: 64, maximum: 524288 }),
    nodeAffinityTags(clear),
  ];
}

/** Persistent storage fields. */
export function storage(options: { readonly update: boolean }): Field[] {
  return options.update
    ? [integer("storageMb", "New volume size per replica in MiB; volumes can grow, never shrink.", { minimum: 1024, maximum: 16777216 })]
    : [
      integer("storageMb", "Volume size per replica in MiB.", { default: 10240, minimum: 1024, maximum: 16777216 }),
      integer("storageGroupId", "Storage group the volumes come from (see `storage-groups list`); the cluster default when absent.", { minimum: 1 }),
    ];
}

/** The fields of a logs command. */
export function logFields(): Field[] {
  return [
    integer("lines", "How many lines, newest last.", { default: 100, minimum: 1, maximum: 1000 }),
    text("since", "Only lines newer than this, e.g. 15m, 2h or an RFC 3339 time."),
    text("pod", "Only this pod (see `pods`), e.g. kafka-ab2cd-0."),
  ];
}

/** The fields of a metrics command. */
export function metricFields(): Field[] {
  return [
    choice("window", "Time window to aggregate over.", ["15m", "1h", "6h", "24h", "7d"], { default: "1h" }),
    integer("stepSeconds", "Resolution of the series in seconds.", { default: 60, minimum: 10, maximum: 3600 }),
  ];
}
