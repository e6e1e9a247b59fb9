import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";
import { ConfigFileError } from "../../src/errors.ts";
import { CLIENT_WRITERS } from "../../src/configure/clients.ts";
import { type ConfigureIo, runConfigure } from "../../src/configure/run.ts";
import type { ClientWriter } from "../../src/configure/writer.ts";
import { FIXTURES, GOLDEN_SELF, readTree, rewriteGolden, substitute, testOperations, updatingGoldens, writeTree } from "./golden_tree.ts";

/** Every client has these cases; a client may add its own (opencode's `permission`), each a folder beside them. */
const CASES = ["fresh", "merge", "broken"] as const;

function casesOf(client: ClientWriter): string[] {
  const extra = readdirSync(join(FIXTURES, client.id)).filter((name) => !(CASES as readonly string[]).includes(name)).sort();
  return [...CASES, ...extra];
}

function quietIo(): ConfigureIo & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (text) => void out.push(text), stderr: () => {}, canPrompt: false, confirmTypedYes: () => Promise.resolve(false) };
}

async function configureIn(client: ClientWriter, root: string, io: ConfigureIo) {
  return await runConfigure({
    client,
    self: GOLDEN_SELF,
    tiers: ["read", "sensitive-read", "write", "sensitive-write"],
    operations: testOperations(),
    projectDir: join(root, "project"),
    env: { home: join(root, "home"), platform: "linux" },
    remove: false,
    trust: client.id === "codex",
    yes: true,
    mode: "write",
  }, io);
}

function withoutBackups(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([path]) => !path.endsWith(".bak")));
}

for (const client of CLIENT_WRITERS) {
  describe(`configure ${client.id}: golden files`, () => {
    let temp: TempDir;
    before(async () => {
      temp = await makeTempDir(`configure-${client.id}`);
    });
    after(async () => {
      await temp.remove();
    });

    for (const name of casesOf(client)) {
      it(`${name}: writes exactly the golden files, keeps everything else, and is idempotent`, async () => {
        const caseDir = join(FIXTURES, client.id, name);
        const root = join(temp.path, name);
        const paths = { project: join(root, "project"), home: join(root, "home") };
        await mkdir(paths.project, { recursive: true });
        await mkdir(paths.home, { recursive: true });
        const input = await readTree(join(caseDir, "before"));
        await writeTree(root, new Map([...input].map(([path, text]) => [path, substitute(text, paths)])));
        const initial = await readTree(root);

        if (name === "broken") {
          await assert.rejects(configureIn(client, root, quietIo()), (error: unknown) => {
            assert.ok(error instanceof ConfigFileError, `expected ConfigFileError, got ${error}`);
            assert.ok(error.message.includes(error.path), "the message names the file");
            assert.ok(error.hint !== undefined && error.hint.length > 0, "the error says what to fix");
            return true;
          });
          assert.deepEqual(await readTree(root), initial, "a broken file leaves every file byte-identical");
          return;
        }

        await configureIn(client, root, quietIo());
        const written = await readTree(root);
        const result = new Map([...withoutBackups(written)].map(([path, text]) => [path, substitute(text, paths, true)]));
        if (updatingGoldens()) await rewriteGolden(caseDir, result);
        assert.deepEqual(result, await readTree(join(caseDir, "after")));
        for (const [path, text] of written) {
          if (path.endsWith(".bak")) assert.equal(text, initial.get(path.slice(0, -4)), `${path} holds the previous content`);
        }

        const second = quietIo();
        await configureIn(client, root, second);
        assert.deepEqual(await readTree(root), written, "a second run changes no byte and writes no .bak");
        assert.ok(second.out.some((line) => line.startsWith("Up to date: ")));
        assert.ok(!second.out.some((line) => line.startsWith("Wrote ")));
      });
    }
  });
}
