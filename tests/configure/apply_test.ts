import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, readFile, rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";
import { ConfigFileError } from "../../src/errors.ts";
import { computeChanges, writeChanges } from "../../src/configure/apply.ts";
import { readTree } from "./golden_tree.ts";

describe("applying changes: all files or none", () => {
  let temp: TempDir;
  let count = 0;
  before(async () => {
    temp = await makeTempDir("configure-apply");
  });
  after(async () => {
    await temp.remove();
  });

  async function caseDir(): Promise<string> {
    const dir = join(temp.path, `case-${count++}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  const replaceWith = (text: string) => ({ update: () => text });

  it("refuses before renaming anything when one file cannot be prepared, and leaves no temp or directory behind", async () => {
    const dir = await caseDir();
    await writeFile(join(dir, "a.json"), "old a\n");
    await writeFile(join(dir, "blocker"), "a file where a directory is needed\n");
    const initial = await readTree(dir);
    const changes = await computeChanges([
      { path: join(dir, "a.json"), ...replaceWith("new a\n") },
      { path: join(dir, "new", "deeper", "b.json"), ...replaceWith("new b\n") },
      { path: join(dir, "blocker", "c.json"), ...replaceWith("new c\n") },
    ]);
    await assert.rejects(writeChanges(changes), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError, String(error));
      assert.equal(error.path, join(dir, "blocker", "c.json"));
      assert.ok(error.message.includes(join(dir, "blocker", "c.json")), error.message);
      assert.match(error.message, /nothing was changed/);
      return true;
    });
    assert.deepEqual(await readTree(dir), initial, "no target, .bak or temp file was written");
    await assert.rejects(readFile(join(dir, "new")), "the directories made while preparing are gone again");
  });

  it("refuses a read-only target before writing any file", async () => {
    const dir = await caseDir();
    await writeFile(join(dir, "a.json"), "old a\n");
    await writeFile(join(dir, "b.json"), "old b\n");
    await chmod(join(dir, "b.json"), 0o444);
    const initial = await readTree(dir);
    const changes = await computeChanges([
      { path: join(dir, "a.json"), ...replaceWith("new a\n") },
      { path: join(dir, "b.json"), ...replaceWith("new b\n") },
    ]);
    await assert.rejects(writeChanges(changes), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.match(error.message, /b\.json is read-only; nothing was changed/);
      return true;
    });
    assert.deepEqual(await readTree(dir), initial);
  });

  it("restores the files already replaced when a later rename fails, and says so", async () => {
    const dir = await caseDir();
    await writeFile(join(dir, "a.json"), "old a\n");
    await writeFile(join(dir, "c.json"), "old c\n");
    const changes = await computeChanges([
      { path: join(dir, "a.json"), ...replaceWith("new a\n") },
      { path: join(dir, "b.json"), ...replaceWith("new b\n") },
      { path: join(dir, "c.json"), ...replaceWith("new c\n") },
    ]);
    const failing = async (from: string, to: string) => {
      if (to === join(dir, "c.json")) throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
      await rename(from, to);
    };
    await assert.rejects(writeChanges(changes, { rename: failing }), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.equal(error.path, join(dir, "c.json"));
      assert.match(error.message, /restored to their previous state/);
      assert.ok(error.message.includes(join(dir, "a.json")) && error.message.includes(join(dir, "b.json")), error.message);
      return true;
    });
    const files = await readTree(dir);
    assert.equal(files.get("a.json"), "old a\n");
    assert.equal(files.get("c.json"), "old c\n");
    assert.equal(files.has("b.json"), false, "a file that did not exist is taken away again");
    assert.ok(![...files.keys()].some((name) => name.endsWith(".tmp")), [...files.keys()].join(","));
  });

  it("writes through a symlink, keeping the link, and keeps a .bak of the previous content", async () => {
    const dir = await caseDir();
    await mkdir(join(dir, "real"));
    await writeFile(join(dir, "real", "mcp.json"), "old\n");
    await symlink(join(dir, "real", "mcp.json"), join(dir, "link.json"));
    await writeChanges(await computeChanges([{ path: join(dir, "link.json"), ...replaceWith("new\n") }]));
    assert.equal(await readFile(join(dir, "real", "mcp.json"), "utf8"), "new\n");
    assert.equal(await readFile(join(dir, "link.json"), "utf8"), "new\n");
    assert.equal(await readFile(join(dir, "real", "mcp.json.bak"), "utf8"), "old\n");
  });

  it("hands writers LF text without a BOM and puts the file's BOM and CRLF endings back", async () => {
    const dir = await caseDir();
    await writeFile(join(dir, "a.json"), "\uFEFF{\r\n  \"a\": 1\r\n}\r\n");
    const seen: (string | undefined)[] = [];
    const [change] = await computeChanges([{
      path: join(dir, "a.json"),
      update: (current) => {
        seen.push(current);
        return current!.replace("}\n", "  ,\"b\": 2\n}\n");
      },
    }]);
    assert.equal(seen[0], "{\n  \"a\": 1\n}\n");
    assert.equal(change!.after, "\uFEFF{\r\n  \"a\": 1\r\n  ,\"b\": 2\r\n}\r\n");
    const [same] = await computeChanges([{ path: join(dir, "a.json"), update: (current) => current }]);
    assert.equal(same!.changed, false, "an unchanged file stays byte-identical");
  });
});
