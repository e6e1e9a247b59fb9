/**
 * RunOS's full catalog, in substance: about a thousand commands over the 22 service types and the
 * platform groups, tagged as RunOS tags them. Commands that the fake API's default catalog already
 * defines (fixtures/catalog/manifest.json) keep that definition's endpoint, method, fields, flags and
 * output, so the fake API's in-depth handlers serve them unchanged; only their tags and description are
 * RunOS-style, and RunOS-realistic optional fields are appended.
 */
import manifestJson from "../../fixtures/catalog/manifest.json" with { type: "json" };
import { type Catalog, type Command, type Field, parseCatalog } from "../../src/catalog/schema.ts";
import { command, type CommandSpec } from "./command.ts";
import { clickhouseVerbs, minioVerbs, postgresqlVerbs, sqlVerbs, valkeyVerbs } from "./families_data.ts";
import { FAMILIES } from "./families_more.ts";
import { appCommands } from "./platform_apps.ts";
import { platformCommands } from "./platform.ts";
import { commonServiceCommands } from "./service_common.ts";
import { SERVICE_TYPES, type ServiceType } from "./service_types.ts";
import { vllmOwnCommands } from "./vllm.ts";

/** The version the full catalog reports: a 45.x manifest with the `virt` module on. */
export const FULL_CATALOG_VERSION = "45.6.0+virt";

/**
 * Commands whose shape is RunOS's although our default catalog has the same path with another shape:
 * exec-sql keeps RunOS's tagging (`sensitive_write`) where our baseline adds it to the read tiers.
 */
const OWN_SHAPE: ReadonlySet<string> = new Set(["services/postgresql/{id}/exec-sql"]);

/** A generated field left out when the default catalog's definition says the same in other units. */
const SAME_MEANING: Readonly<Record<string, string>> = { storageMb: "storageGb" };

const DATA_FAMILIES: Readonly<Record<string, (t: ServiceType) => CommandSpec[]>> = {
  postgresql: postgresqlVerbs,
  mysql: (t) => sqlVerbs(t, { grants: true, defaultDatabase: "app" }),
  clickhouse: clickhouseVerbs,
  valkey: valkeyVerbs,
  minio: minioVerbs,
};

/** The commands of one service type: common verbs (vLLM's own versions replacing some), then its family's. */
function serviceTypeCommands(t: ServiceType): CommandSpec[] {
  const own = new Map((t.type === "vllm" ? vllmOwnCommands() : []).map((spec) => [spec.command, spec]));
  const common = commonServiceCommands(t);
  const commonPaths = new Set(common.map((spec) => spec.command));
  const family = (DATA_FAMILIES[t.type] ?? FAMILIES[t.type])?.(t) ?? [];
  return [...common.map((spec) => own.get(spec.command) ?? spec), ...[...own.values()].filter((spec) => !commonPaths.has(spec.command)), ...family];
}

/** Every spec of the full catalog, in catalog order. */
export function fullCatalogSpecs(): CommandSpec[] {
  return [...platformCommands(), ...SERVICE_TYPES.flatMap(serviceTypeCommands), ...appCommands()];
}

/** Merge a generated command into the default catalog's definition of the same path. */
function adoptKnown(generated: Command, known: Command | undefined): Command {
  if (known === undefined || OWN_SHAPE.has(generated.command)) return generated;
  if (known.method !== generated.method || known.endpoint !== generated.endpoint) {
    throw new Error(`${generated.command}: generated as ${generated.method} ${generated.endpoint}, but the default catalog has ${known.method} ${known.endpoint}`);
  }
  const byName = new Map(generated.input.fields.map((field) => [field.name, field]));
  const fields: Field[] = known.input.fields.map((field) => {
    const wider = byName.get(field.name)?.enum;
    return wider !== undefined && field.enum !== undefined && field.enum.every((value) => wider.includes(value)) ? { ...field, enum: [...wider] } : field;
  });
  const knownNames = new Set(fields.map((field) => field.name));
  const knownFlags = new Set(known.input.flags.map((flag) => flag.name));
  const returnsJob = known.returnsJob ?? generated.returnsJob;
  return {
    command: generated.command,
    description: generated.description,
    endpoint: known.endpoint,
    method: known.method,
    mcp: generated.mcp,
    ...(returnsJob === true ? { returnsJob: true } : {}),
    input: {
      fields: [...fields, ...generated.input.fields.filter((field) => !knownNames.has(field.name) && !knownNames.has(SAME_MEANING[field.name] ?? ""))],
      flags: [...known.input.flags, ...generated.input.flags.filter((flag) => !knownFlags.has(flag.name))],
    },
    output: known.output ?? generated.output,
  };
}

function defaultCatalog(): Catalog {
  const parsed = parseCatalog(manifestJson);
  if (!parsed.ok) throw new Error(`fixtures/catalog/manifest.json: ${parsed.problems.join("; ")}`);
  return parsed.catalog;
}

/** The full catalog, checked: unique paths and no two commands on one method and endpoint. */
export function buildFullCatalog(): Catalog {
  const known = new Map(defaultCatalog().commands.map((entry) => [entry.command, entry]));
  const commands = fullCatalogSpecs().map((spec) => adoptKnown(command(spec), known.get(spec.command)));
  const paths = new Set<string>();
  const routes = new Map<string, string>();
  for (const entry of commands) {
    if (paths.has(entry.command)) throw new Error(`${entry.command} appears twice`);
    paths.add(entry.command);
    const route = `${entry.method} ${entry.endpoint.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, ":")}`;
    const other = routes.get(route);
    if (other !== undefined) throw new Error(`${entry.command} and ${other} share ${route}`);
    routes.set(route, entry.command);
  }
  return { version: FULL_CATALOG_VERSION, commands };
}
