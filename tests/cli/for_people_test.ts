import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.ts";
import { cliError, cliWords } from "../../src/cli/wording.ts";
import { inputLabel } from "../../src/cli/verbs.ts";
import { buildOperations } from "../../src/catalog/operation.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { ValidationError } from "../../src/errors.ts";
import { describeJsonSyntaxError, findJsonSyntaxError, readJson } from "../../src/json_syntax.ts";
import { isolateRunosEnv } from "../_harness/cli.ts";
import { startFakeApi } from "../_harness/fake_api.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";

/** Run the CLI in-process and capture what it printed. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

const SNAPSHOTS = fileURLToPath(new URL("../../fixtures/snapshots/help/", import.meta.url));

describe("the CLI for people", () => {
  isolateRunosEnv("runos-people-", ["NO_COLOR"]);

  describe("help", () => {
    it("`runos help a b` prints that command's help on stdout and exits 0, at any depth", async () => {
      const leaf = await run("help", "clusters", "list");
      assert.equal(leaf.code, 0, leaf.stderr);
      assert.match(leaf.stdout, /^Usage: runos clusters list/);
      assert.equal(leaf.stdout, (await run("clusters", "list", "--help")).stdout);
      const group = await run("help", "clusters");
      assert.equal(group.code, 0);
      assert.match(group.stdout, /^Usage: runos clusters/);
      assert.match(group.stdout, /\n {2}list /);
      const configure = await run("help", "mcp", "configure");
      assert.equal(configure.code, 0);
      assert.match(configure.stdout, /^Usage: runos mcp configure/);
      assert.match(configure.stdout, /--command <path>/);
    });

    it("the root help lists the catalog's groups under their own heading", async () => {
      for (const argv of [["help"], ["--help"]]) {
        const result = await run(...argv);
        assert.equal(result.code, 0);
        assert.match(result.stdout, /RunOS resources \(from the command catalog\):\n(.*\n)*\s+clusters\s/);
        assert.match(result.stdout, /\n {2}doctor /);
      }
    });

    it("an unknown command word after help is a usage error naming the choices", async () => {
      const result = await run("help", "clusters", "nope");
      assert.equal(result.code, 2);
      assert.match(result.stderr, /unknown command "nope" under `runos clusters`/);
      assert.match(result.stderr, /one of: list, show/);
    });

    for (const [name, argv] of [
      ["root", ["--help"]],
      ["clusters", ["help", "clusters"]],
      ["profiles", ["help", "profiles"]],
      ["services_postgresql", ["help", "services", "postgresql"]],
      ["services_valkey_add", ["help", "services", "valkey", "add"]],
      ["services_postgresql_exec-sql", ["help", "services", "postgresql", "exec-sql"]],
      ["mcp_configure", ["help", "mcp", "configure"]],
      ["doctor", ["help", "doctor"]],
    ] as const) {
      it(`help snapshot: runos ${argv.join(" ")}`, async () => {
        const result = await run(...argv);
        assert.equal(result.code, 0);
        const path = join(SNAPSHOTS, `${name}.txt`);
        if (process.env.UPDATE_SNAPSHOTS === "1") {
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, result.stdout);
        }
        assert.equal(result.stdout, readFileSync(path, "utf8"), `fixtures/snapshots/help/${name}.txt (UPDATE_SNAPSHOTS=1 rewrites it)`);
      });
    }

    it("a verb's help says its fields as flags: --read-write, not readWrite", async () => {
      const result = await run("help", "services", "postgresql", "exec-sql");
      assert.match(result.stdout, /--read-write/);
      assert.doesNotMatch(result.stdout, /readWrite/);
    });
  });

  describe("clusters by name, and the default cluster", () => {
    it("--cid takes a cluster name as well as its id", async () => {
      for (const cid of ["production", "Production", "i4y"]) {
        const result = await run("--sandbox", "-o", "json", "services", "list", "--cid", cid);
        assert.equal(result.code, 0, `${cid}: ${result.stderr}`);
        assert.ok(JSON.parse(result.stdout).length > 0);
      }
    });

    it("a --cid that is neither an id nor a name lists the clusters", async () => {
      const result = await run("--sandbox", "services", "list", "--cid", "My Cluster");
      assert.equal(result.code, 2);
      assert.match(result.stderr, /no cluster has the id or name "My Cluster".*the clusters are: i4y \(production\)/);
    });

    it("clusters show takes RUNOS_CLUSTER_ID when no cluster is given, and a name when one is", async () => {
      process.env.RUNOS_CLUSTER_ID = "stg01";
      try {
        const fromEnv = await run("--sandbox", "-o", "json", "clusters", "show");
        assert.equal(fromEnv.code, 0, fromEnv.stderr);
        assert.equal(JSON.parse(fromEnv.stdout).id, "stg01");
      } finally {
        delete process.env.RUNOS_CLUSTER_ID;
      }
      const byName = await run("--sandbox", "-o", "json", "clusters", "show", "dev");
      assert.equal(JSON.parse(byName.stdout).id, "dev7");
      const none = await run("--sandbox", "clusters", "show");
      assert.equal(none.code, 2);
      assert.match(none.stderr, /cluster ID required/);
    });

    it("a default cluster set by name with `config set cid` is used by cluster commands", async () => {
      const harness = await startFakeApi();
      const saved = { ...process.env };
      Object.assign(process.env, { RUNOS_API_URL: harness.url, RUNOS_API_KEY: DEMO_TOKEN, RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID });
      try {
        for (const name of ["production", "Production"]) {
          const set = await run("config", "set", "cid", name);
          assert.equal(set.code, 0, set.stderr);
          const nodes = await run("-o", "json", "nodes", "list");
          assert.equal(nodes.code, 0, `${name}: ${nodes.stderr}`);
          assert.ok(JSON.parse(nodes.stdout).length > 0);
        }
        await run("config", "set", "cid", "nowhere");
        const unknown = await run("nodes", "list");
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /no cluster has the id or name "nowhere".*the clusters are: i4y \(production\), stg01 \(staging\), dev7 \(dev\)/);
        await run("config", "unset", "cid");
      } finally {
        for (const name of ["RUNOS_API_URL", "RUNOS_API_KEY", "RUNOS_ACCOUNT_ID"]) {
          if (saved[name] === undefined) delete process.env[name];
          else process.env[name] = saved[name];
        }
        await harness.close();
      }
    });

    it("RUNOS_CLUSTER_ID takes a cluster name", async () => {
      for (const name of ["production", "Production"]) {
        process.env.RUNOS_CLUSTER_ID = name;
        try {
          const nodes = await run("--sandbox", "-o", "json", "nodes", "list");
          assert.equal(nodes.code, 0, `${name}: ${nodes.stderr}`);
          assert.ok(JSON.parse(nodes.stdout).length > 0);
        } finally {
          delete process.env.RUNOS_CLUSTER_ID;
        }
      }
    });
  });

  describe("output", () => {
    it("-o table splits camelCase headers and summarises nested values", async () => {
      const result = await run("--sandbox", "-o", "table", "clusters", "list");
      assert.equal(result.code, 0);
      const [header, rule] = result.stdout.split("\n");
      assert.match(header!, /KUBERNETES VERSION/);
      assert.match(rule!, /^-+  -+/);
      assert.match(result.stdout, /healthy \(4\/5 nodes ready\)/);
      assert.doesNotMatch(result.stdout, /[{}]/);
    });

    it("piped output defaults to TSV under the catalog's output fields; -o yaml and -o json", async () => {
      const tsv = await run("--sandbox", "clusters", "list");
      assert.equal(tsv.stdout.split("\n")[0], "id\tname\tregion\tstatus\tkubernetesVersion\thealth.status\thealth.nodesReady\thealth.nodesTotal");
      const yaml = await run("--sandbox", "-o", "yaml", "clusters", "show", "i4y");
      assert.match(yaml.stdout, /^id: i4y\nname: production\n/);
      assert.match(yaml.stdout, /\n {2}checks:\n {2}- name: api-server\n/);
      const json = await run("--sandbox", "--output=json", "clusters", "show", "i4y");
      assert.equal(JSON.parse(json.stdout).id, "i4y");
      const both = await run("--sandbox", "--json", "-o", "yaml", "clusters", "list");
      assert.equal(both.code, 2);
    });

    it("a DELETE through exec-sql prints its command tag, not \"No items found\"", async () => {
      const result = await run("--sandbox", "-o", "table", "services", "postgresql", "exec-sql", "users-db", "--cid", "i4y", "--query", "delete from users where id = 1", "--read-write", "--yes");
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), "DELETE 1");
    });

    it("a new API key's token and a new user's password come with a shown-only-once note on stderr", async () => {
      const key = await run("--sandbox", "-o", "json", "account", "api-keys", "add", "--name", "release-bot");
      assert.equal(key.code, 0, key.stderr);
      assert.ok(typeof JSON.parse(key.stdout).token === "string");
      assert.match(key.stderr, /Note: the token above is shown only once: save it now, RunOS cannot show it again\./);
      const user = await run("--sandbox", "-o", "json", "services", "postgresql", "create-user", "users-db", "--cid", "i4y", "--username", "reporter", "--database", "analytics");
      assert.equal(user.code, 0, user.stderr);
      assert.match(user.stderr, /the password above is shown only once/);
      const read = await run("--sandbox", "-o", "json", "services", "postgresql", "credentials", "users-db", "--cid", "i4y");
      assert.doesNotMatch(read.stderr, /shown only once/, "credentials can be read again");
    });
  });

  describe("flags, not field names", () => {
    const operations = buildOperations(baselineCatalog());
    const valkeyAdd = operations.find((operation) => operation.command === "services/valkey/add")!;

    it("an API validation error names the flags", () => {
      const error = new ValidationError("invalid input: bad fields: maxMemoryMb: must be at most 65536", {
        details: { fields: [{ name: "maxMemoryMb", message: "must be at most 65536" }] },
      });
      const worded = cliError(error, valkeyAdd, inputLabel(valkeyAdd), operations) as ValidationError;
      assert.equal(worded.message, "invalid input: bad fields: --max-memory-mb must be at most 65536");
    });

    it("catalog text says camelCase fields as flags and command paths as runos verbs", () => {
      const execSql = operations.find((operation) => operation.command === "services/postgresql/{id}/exec-sql")!;
      assert.equal(cliWords("read-only unless readWrite is set", execSql, inputLabel(execSql)), "read-only unless --read-write is set");
      assert.equal(cliWords("see services/minio/{id}/create-bucket", execSql, inputLabel(execSql), operations), "see runos services minio create-bucket");
    });
  });
});

describe("JSON syntax errors", () => {
  it("give line and column, the same on every runtime", () => {
    assert.equal(describeJsonSyntaxError(findJsonSyntaxError('{\n  "a": 1,\n}')!), 'line 3, column 1: unexpected "}": a trailing comma is not allowed in JSON');
    assert.equal(describeJsonSyntaxError(findJsonSyntaxError('{"a": tru}')!), 'line 1, column 7: unexpected "t": expected a value');
    assert.equal(describeJsonSyntaxError(findJsonSyntaxError('{"a": "x\n"}')!), "line 1, column 7: unterminated string (a line break or control character inside it)");
    assert.equal(findJsonSyntaxError('{"a": [1, 2.5e3, "\\u00e9", null]}'), undefined);
    assert.match(describeJsonSyntaxError(findJsonSyntaxError("// hi\n{}")!), /comments are not allowed/);
  });

  it("name an invisible character by its code point, and a nesting too deep to read instead of overflowing the stack", () => {
    assert.equal(describeJsonSyntaxError(findJsonSyntaxError("\uFEFF{}")!), "line 1, column 1: unexpected U+FEFF: expected a value");
    assert.equal(describeJsonSyntaxError(findJsonSyntaxError("[".repeat(100_000))!), "line 1, column 1: nested too deeply to read");
  });

  it("JSONC allows comments and trailing commas, and still reports what else is broken", () => {
    assert.deepEqual(readJson('{\n  // mine\n  "a": [1, 2,], /* x */\n}', { comments: true }), { value: { a: [1, 2] } });
    assert.equal(readJson('{"a": 1 "b": 2}', { comments: true }).value, undefined);
    assert.match(describeJsonSyntaxError(readJson('{"a": 1 "b": 2}', { comments: true }).error!), /^line 1, column 9: unexpected """: expected ","$/);
  });
});
