/**
 * `runos manifest update | list | show`: refresh the cached command catalog (saying which commands
 * it added, removed or moved to another method or endpoint, and writing each server's change to the
 * audit log), list its command paths (optionally only those a tier allows), and show one command's
 * full definition.
 */
import type { Command } from "@commander-js/extra-typings";
import { cacheDir as defaultCacheDir, type Env, processEnv, stateDir } from "../../auth/config.ts";
import { openSessionFor, type Session, type SessionSeams } from "../../auth/session.ts";
import { diffCounts, diffOperations, type OperationsDiff } from "../../catalog/diff.ts";
import { updateCatalog } from "../../catalog/fetch.ts";
import { loadCatalog } from "../../catalog/load.ts";
import type { Operation } from "../../catalog/operation.ts";
import type { Catalog } from "../../catalog/schema.ts";
import { NotFoundError } from "../../errors.ts";
import { auditLogAt, auditPath } from "../../mcp/call/audit.ts";
import { catalogToolsChanges } from "../../mcp/host/tools_change.ts";
import { decide } from "../../policy/decide.ts";
import { parseTier, TIERS } from "../../policy/tier.ts";
import type { Command as PlainCommand } from "commander";
import { completeWith } from "../completion/hints.ts";
import type { CliContext, GlobalOptions } from "../context.ts";

/** Seams for tests: environment, directories and network. */
export type ManifestDeps = SessionSeams & {
  /** Where the audit log is (default: the state directory of the environment). */
  readonly stateDir?: string;
};

/** At most this many commands of a diff are printed; `--json` has them all. */
export const MAX_LISTED_CHANGES = 20;

/** Register `manifest update|list|show` on the root program. */
export function registerManifestCommands(program: Command, context: CliContext, deps: ManifestDeps = {}): void {
  const env = (): Env => deps.env ?? processEnv();
  const sessionFor = (globals: GlobalOptions): Promise<Session> => openSessionFor(globals, { ...deps, env: env() });

  /** The catalog to list from: the sandbox's own (fetched in-process), else cache or baseline. */
  const currentCatalog = async (globals: GlobalOptions): Promise<{ catalog: Catalog; operations: Operation[] }> => {
    if (globals.sandbox) {
      const session = await sessionFor(globals);
      try {
        return await updateCatalog(session);
      } finally {
        await session.close();
      }
    }
    const loaded = await loadCatalog({ profile: globals.profile, env: env(), cacheDir: deps.cacheDir ?? defaultCacheDir(env()) });
    for (const warning of loaded.warnings) context.stderr(`warning: ${warning}`);
    return loaded;
  };

  const manifest = program.command("manifest").description("the RunOS command catalog: refresh, list, show");

  manifest
    .command("update")
    .description("download the latest command catalog for your account")
    .option("--force", "download in full even if the cached catalog is current")
    .action(async (options) => {
      const globals = context.globals();
      const session = await sessionFor(globals);
      try {
        for (const warning of session.warnings ?? []) context.stderr(`warning: ${warning}`);
        if (!globals.json) context.stderr("Fetching the latest manifest from the RunOS API…");
        // What the servers run on now (the sandbox's always run on the embedded catalog: nothing to compare).
        const previous = session.sandbox || session.cacheDir === undefined
          ? undefined
          : await loadCatalog({ profile: session.profile, env: env(), cacheDir: session.cacheDir });
        const result = await updateCatalog(session, { force: options.force === true });
        const from = previous?.catalog.version;
        const diff = previous === undefined ? undefined : diffOperations(previous.operations, result.operations);
        if (previous !== undefined && result.path !== undefined && result.changed) {
          const changes = catalogToolsChanges({ version: previous.catalog.version, operations: previous.operations }, result, "runos manifest update", new Date());
          const log = auditLogAt(auditPath(deps.stateDir ?? stateDir(env())), {
            onError: (error) => context.stderr(`warning: the change was not written to the audit log (${error instanceof Error ? error.message : String(error)})`),
          });
          for (const change of changes) await log.record(change);
        }
        if (globals.json) {
          context.stdout(JSON.stringify({
            changed: result.changed,
            version: result.version,
            from: from ?? null,
            count: result.catalog.commands.length,
            path: result.path ?? null,
            diff: diff ?? null,
          }, null, 2));
          return;
        }
        if (!result.changed) context.stdout(`Manifest is up to date (version ${result.version})`);
        else if (from === undefined || diff === undefined) context.stdout(`Manifest updated to version ${result.version}`);
        else context.stdout(describeUpdate(from, result.version, diff).join("\n"));
        context.stdout(result.path === undefined ? "Sandbox: nothing saved" : `Saved to: ${result.path}`);
      } finally {
        await session.close();
      }
    });

  manifest
    .command("list")
    .description("list command paths, optionally filtered by a case-insensitive substring or a tier")
    .argument("[substring]", "show only paths containing this text")
    .option("--tier <tier>", "show only commands the given MCP tier allows (read, sensitive-read, write, sensitive-write)")
    .action(async (substring, options) => {
      const globals = context.globals();
      const tier = options.tier === undefined ? undefined : parseTier(options.tier);
      const { operations } = await currentCatalog(globals);
      const needle = substring?.toLowerCase();
      const paths = operations
        .filter((operation) => needle === undefined || operation.command.toLowerCase().includes(needle))
        .filter((operation) => tier === undefined || decide(tier, operation).kind !== "deny")
        .map((operation) => operation.command);
      if (globals.json) context.stdout(JSON.stringify(paths));
      else if (paths.length > 0) context.stdout(paths.join("\n"));
      else context.stderr("no command matches; run `runos manifest list` for all of them (or `runos manifest update` for the newest catalog)");
    });

  const tierOption = (manifest as unknown as PlainCommand).commands.find((sub) => sub.name() === "list")?.options.find((option) => option.long === "--tier");
  if (tierOption !== undefined) completeWith(tierOption, TIERS);

  manifest
    .command("show")
    .description("show the catalog version and size, or one command's full definition")
    .argument("[command-path]", "a command path such as services/valkey/{id}/show (or its tool name)")
    .action(async (commandPath) => {
      const globals = context.globals();
      const { catalog, operations } = await currentCatalog(globals);
      if (commandPath === undefined) {
        if (globals.json) context.stdout(JSON.stringify({ version: catalog.version, count: catalog.commands.length }));
        else context.stdout(`Manifest version: ${catalog.version}\nCommands: ${catalog.commands.length}`);
        return;
      }
      const operation = operations.find((op) => op.command === commandPath) ??
        operations.find((op) => op.toolName === commandPath || op.verbPath.join("/") === commandPath || op.verbPath.join(" ") === commandPath);
      if (operation === undefined) {
        throw new NotFoundError(`no command "${commandPath}" in manifest version ${catalog.version}`, {
          hint: `runos manifest list ${commandPath}`,
        });
      }
      context.stdout(JSON.stringify(operation.source, null, 2));
    });
}

/**
 * The text of an update that changed the catalog: a summary line, then the commands removed, changed
 * and added (the first {@link MAX_LISTED_CHANGES}), each with its method and endpoint.
 */
export function describeUpdate(from: string, to: string, diff: OperationsDiff): string[] {
  const versions = from === to ? `version ${to}` : `from version ${from} to ${to}`;
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  if (total === 0) return [`Manifest updated ${versions}: no command added, removed, or moved to another method or endpoint`];
  const rows = [
    ...diff.removed.map((entry) => ["-", entry.command, `${entry.method} ${entry.endpoint}`]),
    ...diff.changed.map((entry) => ["~", entry.command, `${entry.before.method} ${entry.before.endpoint} → ${entry.after.method} ${entry.after.endpoint}`]),
    ...diff.added.map((entry) => ["+", entry.command, `${entry.method} ${entry.endpoint}`]),
  ].slice(0, MAX_LISTED_CHANGES);
  const width = Math.max(...rows.map((row) => row[1]!.length));
  const lines = [`Manifest updated ${versions}; commands: ${diffCounts(diff)}`];
  lines.push(...rows.map(([mark, command, route]) => `  ${mark} ${command!.padEnd(width)}  ${route}`));
  if (total > rows.length) lines.push(`  … and ${total - rows.length} more (each server's tools, with methods and endpoints: runos audit --json)`);
  return lines;
}
