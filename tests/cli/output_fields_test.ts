/**
 * No output format loses a field without saying so: what `--json` prints of an answer, `-o table`,
 * `-o wide`, `-o yaml` and `-o tsv` show too (a nested value flattened or summarised), or the table
 * names what it left out. The reported cases first, then every read verb of the sandbox.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { main } from "../../src/cli/main.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import { cliFlagName, positionalNames } from "../../src/cli/verbs.ts";
import { isolateRunosEnv } from "../_harness/cli.ts";
import { SAMPLE_ARGS } from "../_harness/sample_args.ts";

/** Run the CLI in-process (stdout a pipe) and capture what it printed. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

/** The fields of a TSV header line. */
const header = (tsv: string) => tsv.split("\n")[0]!.split("\t");

describe("output formats keep every field", () => {
  isolateRunosEnv("runos-fields-", ["NO_COLOR"]);

  it("`clusters show -o tsv` has the cluster's domain and counts, and no JSON in a cell", async () => {
    const result = await run("--sandbox", "-o", "tsv", "clusters", "show", "i4y");
    assert.equal(result.code, 0, result.stderr);
    const [names, values] = result.stdout.trim().split("\n").map((line) => line.split("\t"));
    const cell = (name: string) => values![names!.indexOf(name)];
    assert.equal(cell("domain"), "i4y.acme.runos.app");
    assert.equal(cell("counts.services"), "4");
    assert.equal(cell("counts.apps"), "3");
    assert.equal(cell("health.status"), "healthy");
    assert.equal(cell("health.checks.name"), "api-server,nodes,storage,certificates");
    assert.doesNotMatch(result.stdout, /[{}[\]"]/);
  });

  it("`services valkey show` piped keeps clusterId, maxMemoryMb and usedBy", async () => {
    const result = await run("--sandbox", "services", "valkey", "show", "cache", "--cid", "i4y");
    assert.equal(result.code, 0, result.stderr);
    const [names, values] = result.stdout.trim().split("\n").map((line) => line.split("\t"));
    const cell = (name: string) => values![names!.indexOf(name)];
    assert.equal(cell("clusterId"), "i4y");
    assert.equal(cell("maxMemoryMb"), "1024");
    assert.equal(cell("usedBy.name"), "web,api,worker");
    assert.equal(cell("usedBy.id"), "a1web,a2api,a3wrk");
  });

  it("a piped `exec-sql` DELETE prints its command tag, as the README promises", async () => {
    const result = await run("--sandbox", "services", "postgresql", "exec-sql", "users-db", "--cid", "i4y", "--query", "delete from users where id > 2", "--read-write", "--yes");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout.trim(), /^DELETE \d+$/);
  });

  it("a piped SELECT prints its rows under its own columns", async () => {
    const result = await run("--sandbox", "services", "postgresql", "exec-sql", "users-db", "--cid", "i4y", "--query", "select id, name from users where id = 1");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), "id\tname\n1\tAda Lovelace");
  });

  it("a list's health is columns of its own when piped, never raw JSON", async () => {
    const result = await run("--sandbox", "clusters", "list");
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(header(result.stdout), ["id", "name", "region", "status", "kubernetesVersion", "health.status", "health.nodesReady", "health.nodesTotal"]);
    assert.doesNotMatch(result.stdout, /[{}]/);
  });

  it("a list's table names the fields it has no column for, and -o wide shows them", async () => {
    const table = await run("--sandbox", "-o", "table", "jobs", "list");
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /\(not shown: currentStep, result, updatedAt, error; -o wide shows every field\)/);
    const wide = await run("--sandbox", "-o", "wide", "jobs", "list");
    assert.equal(wide.code, 0, wide.stderr);
    assert.match(wide.stdout.split("\n")[0]!, /CURRENT STEP\s+RESULT\s+UPDATED AT\s+ERROR/);
    assert.match(wide.stdout, /build failed: npm ERR! peer dependency conflict/);
    assert.doesNotMatch(wide.stdout, /not shown/);
  });

  describe("every read verb of the sandbox: each top-level field of its JSON is in every other format", () => {
    const operations = buildOperations(baselineCatalog()).filter((operation) => operation.method === "GET" && SAMPLE_ARGS[operation.command] !== undefined);

    it("covers the sandbox's list and show verbs", () => {
      const commands = operations.map((operation) => operation.command);
      for (const command of ["clusters/list", "clusters/{cid}/show", "services/valkey/{id}/show", "jobs/list", "apps/{id}/status"]) assert.ok(commands.includes(command), command);
    });

    for (const operation of operations) {
      it(`runos ${operation.verbPath.join(" ")}`, async () => {
        const argv = commandLine(operation, SAMPLE_ARGS[operation.command]!);
        const json = await run("--sandbox", "-o", "json", ...argv);
        assert.equal(json.code, 0, json.stderr);
        const answer: unknown = JSON.parse(json.stdout);
        const fields = topLevelFields(answer);
        for (const format of ["table", "wide", "yaml", "tsv"] as const) {
          const shown = await run("--sandbox", "-o", format, ...argv);
          assert.equal(shown.code, 0, shown.stderr);
          for (const [name, values] of fields) {
            assert.ok(showsField(format, shown.stdout, name, Array.isArray(answer)), `-o ${format} of ${argv.join(" ")} lacks "${name}":\n${shown.stdout}`);
            if (format === "yaml" || notShownByTable(format, shown.stdout, name)) continue;
            for (const value of values) {
              assert.ok(shown.stdout.includes(value), `-o ${format} of ${argv.join(" ")} lacks ${name}'s value ${JSON.stringify(value)}:\n${shown.stdout}`);
            }
          }
        }
      });
    }
  });
});

/** The verb's command line for sample arguments: positionals in order, the rest as flags. */
function commandLine(operation: Operation, args: Readonly<Record<string, unknown>>): string[] {
  const positional = positionalNames(operation);
  const argv = [...operation.verbPath, ...positional.map((name) => String(args[name]))];
  for (const [name, value] of Object.entries(args)) {
    if (positional.includes(name)) continue;
    argv.push(name === "cid" ? "--cid" : `--${cliFlagName(name)}`, String(value));
  }
  return argv;
}

/**
 * The top-level fields of an answer (of each item, for a list; the items of an object's only list),
 * each with its plain scalar values (strings without tabs or line breaks, numbers), which every format
 * but YAML must print as they are.
 */
function topLevelFields(answer: unknown): Map<string, string[]> {
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  const lists = isRecord(answer) ? Object.values(answer).filter(Array.isArray) : [];
  const items = Array.isArray(answer) ? answer : isRecord(answer) && Object.keys(answer).length === 1 && lists.length === 1 ? lists[0]! : [answer];
  const fields = new Map<string, string[]>();
  for (const item of items.filter(isRecord)) {
    for (const [name, value] of Object.entries(item)) {
      const values = fields.get(name) ?? [];
      if ((typeof value === "string" && value !== "" && !/[\t\n\r\\,]/.test(value)) || typeof value === "number") values.push(String(value));
      fields.set(name, values);
    }
  }
  return fields;
}

/** Whether a format's output shows the field `name`: as a key, a column (raw, or as header words), or named as left out. */
function showsField(format: "table" | "wide" | "yaml" | "tsv", text: string, name: string, list: boolean): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (format === "yaml") return new RegExp(`^(- |\\s*)"?${escaped}"?:`, "m").test(text);
  if (format === "tsv") return text.split("\n")[0]!.split("\t").some((column) => column === name || column.startsWith(`${name}.`));
  const firstLine = text.split("\n")[0]!;
  const asColumn = firstLine.replace(/\s+/g, "").includes(name.replace(/[_\-.]/g, "").toUpperCase());
  const asKey = new RegExp(`^${escaped}:`, "m").test(text);
  return asKey || (list && (asColumn || notShownByTable(format, text, name))) || asColumn;
}

/** Whether the table's note names `name` among the fields it has no column for. */
function notShownByTable(format: string, text: string, name: string): boolean {
  if (format !== "table") return false;
  const note = /\(not shown: ([^;]*);/.exec(text);
  return note !== null && note[1]!.split(", ").includes(name);
}
