/**
 * `runos manifest update | list | show`: refresh the cached command catalog, list its command paths
 * (optionally only those a tier allows), and show one command's full definition.
 */
import type { Command } from "@commander-js/extra-typings";
import { cacheDir as defaultCacheDir, type Env, processEnv } from "../../auth/config.ts";
import { openSessionFor, type Session, type SessionSeams } from "../../auth/session.ts";
import { updateCatalog } from "../../catalog/fetch.ts";
import { loadCatalog } from "../../catalog/load.ts";
import type { Operation } from "../../catalog/operation.ts";
import type { Catalog } from "../../catalog/schema.ts";
import { NotFoundError } from "../../errors.ts";
import { decide } from "../../policy/decide.ts";
import { parseTier, TIERS } from "../../policy/tier.ts";
import type { Command as PlainCommand } from "commander";
import { completeWith } from "../completion/hints.ts";
import type { CliContext, GlobalOptions } from "../context.ts";

/** Seams for tests: environment, directories and network. */
export type ManifestDeps = SessionSeams;

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
        const result = await updateCatalog(session, { force: options.force === true });
        if (globals.json) {
          context.stdout(JSON.stringify({ changed: result.changed, version: result.version, count: result.catalog.commands.length, path: result.path ?? null }, null, 2));
          return;
        }
        context.stdout(result.changed ? `Manifest updated to version ${result.version}` : `Manifest is up to date (version ${result.version})`);
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
