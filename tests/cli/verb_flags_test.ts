import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Command as PlainCommand } from "commander";
import { Command } from "@commander-js/extra-typings";
import { buildOperations } from "../../src/catalog/operation.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import type { Catalog } from "../../src/catalog/schema.ts";
import { addGlobalOptions, GLOBAL_OPTIONS, RESERVED_VERB_FLAGS } from "../../src/cli/global_options.ts";
import { addVerbs, cliFlagName } from "../../src/cli/verbs.ts";
import { captureCli } from "../_harness/cli.ts";
import { loadCatalogFixture } from "../_harness/catalogs.ts";

/** Every leaf command under `command`, with its path. */
function leaves(command: PlainCommand, path: string[] = []): { path: string[]; command: PlainCommand }[] {
  if (command.commands.length === 0) return [{ path, command }];
  return command.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
}

/** Build the verbs of `catalog` on a root that has the global options, as main.ts does. */
function verbsOf(catalog: Catalog) {
  const cli = captureCli();
  const program = addGlobalOptions(new Command("runos"));
  const operations = buildOperations(catalog);
  addVerbs(program, cli.context, operations);
  return { program: program as unknown as PlainCommand, operations };
}

function checkNoCollisions(catalog: Catalog): number {
  const { program, operations } = verbsOf(catalog);
  const globalFlags = new Set(program.options.map((option) => option.long));
  const globalShorts = new Set(["-h", "-V", ...program.options.map((option) => option.short).filter((short): short is string => short !== undefined)]);
  const byPath = new Map(operations.map((operation) => [operation.verbPath.join(" "), operation]));
  let checked = 0;
  for (const leaf of leaves(program)) {
    const operation = byPath.get(leaf.path.join(" "));
    if (operation === undefined) continue;
    const longs = leaf.command.options.map((option) => option.long!);
    assert.equal(new Set(longs).size, longs.length, `${leaf.path.join(" ")} declares a flag twice: ${longs.join(" ")}`);
    for (const long of longs) assert.ok(!globalFlags.has(long), `${leaf.path.join(" ")}: ${long} would be swallowed by the global option`);
    const shorts = leaf.command.options.map((option) => option.short).filter((short): short is string => short !== undefined);
    assert.equal(new Set(shorts).size, shorts.length, `${leaf.path.join(" ")} declares a short flag twice: ${shorts.join(" ")}`);
    for (const short of shorts) assert.ok(!globalShorts.has(short), `${leaf.path.join(" ")}: ${short} is a global option's short flag (-o is --output)`);
    const positional = new Set(leaf.command.registeredArguments.map((argument) => argument.name()));
    for (const parameter of operation.params) {
      if (positional.has(parameter.name)) continue;
      assert.ok(longs.includes(`--${cliFlagName(parameter.name)}`), `${leaf.path.join(" ")}: field ${parameter.name} has no flag`);
      checked++;
    }
  }
  return checked;
}

describe("generated verb flags", () => {
  it("renames a field whose flag a global option holds: `profile` → --set-profile, `json` → --set-json", () => {
    assert.equal(cliFlagName("profile"), "set-profile");
    assert.equal(cliFlagName("json"), "set-json");
    assert.equal(cliFlagName("color"), "set-color");
    assert.equal(cliFlagName("yes"), "set-yes");
    assert.equal(cliFlagName("version"), "version");
    assert.equal(cliFlagName("maxMemoryMb"), "max-memory-mb");
    for (const spec of GLOBAL_OPTIONS) assert.ok(RESERVED_VERB_FLAGS.has(spec.long));
  });

  it("no field of the embedded catalog collides with a global option or another flag", () => {
    assert.ok(checkNoCollisions(baselineCatalog()) > 10);
  });

  it("no field of RunOS's full-scale catalog collides with a global option, a short flag or another flag", () => {
    const catalog = loadCatalogFixture("runos_full");
    const checked = checkNoCollisions(catalog);
    assert.ok(checked > 1000, `${checked} fields checked`);
  });

  it("-o/--output is a global option: a field named output is --set-output", () => {
    assert.equal(cliFlagName("output"), "set-output");
  });

  it("a catalog whose fields are named like the global options still gets every field as its own flag", () => {
    const catalog = loadCatalogFixture("colliding_fields");
    assert.ok(checkNoCollisions(catalog) >= 6);
  });
});
