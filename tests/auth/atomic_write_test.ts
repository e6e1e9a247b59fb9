import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmod, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { readTextIfExists, writeFileAtomic } from "../../src/atomic_write.ts";
import { ConfigFileError } from "../../src/errors.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";

const posix = process.platform !== "win32";

describe("writeFileAtomic", () => {
  let dir: TempDir;
  before(async () => { dir = await makeTempDir("atomic"); });
  after(async () => { await dir.remove(); });

  it("creates parent directories with the asked mode and writes the file with mode 0600", async () => {
    const path = join(dir.path, "conf", "runos", "credentials.json");
    await writeFileAtomic(path, "{}\n", { mode: 0o600, dirMode: 0o700 });
    assert.equal(await readFile(path, "utf8"), "{}\n");
    if (posix) {
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal((await stat(join(dir.path, "conf", "runos"))).mode & 0o777, 0o700);
    }
  });

  it("writes through a symlink to its target and keeps the link", { skip: !posix }, async () => {
    const real = join(dir.path, "dotfiles-mcp.json");
    const link = join(dir.path, "linked.json");
    await writeFile(real, "old\n");
    await symlink(real, link);
    await writeFileAtomic(link, "new\n");
    assert.ok((await lstat(link)).isSymbolicLink(), "the link is still a link");
    assert.equal(await readFile(real, "utf8"), "new\n");
  });

  it("refuses a read-only file with its path and leaves it untouched", { skip: !posix }, async () => {
    const path = join(dir.path, "locked.json");
    await writeFile(path, "keep\n");
    await chmod(path, 0o444);
    await assert.rejects(writeFileAtomic(path, "new\n"), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.match(error.message, /locked\.json is read-only; nothing was changed/);
      assert.match(error.hint ?? "", /chmod u\+w/);
      return true;
    });
    assert.equal(await readFile(path, "utf8"), "keep\n");
  });

  it("turns file-system failures into errors that name the file and the next step", async () => {
    const path = join(dir.path, "a-directory");
    await mkdir(path);
    await assert.rejects(writeFileAtomic(path, "x"), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.match(error.message, /cannot write .*a-directory: it is a directory, not a file; nothing was changed/);
      return true;
    });
    const blocked = join(dir.path, "plain-file");
    await writeFile(blocked, "x");
    await assert.rejects(writeFileAtomic(join(blocked, "settings.json"), "x"), /cannot write .*plain-file\/settings\.json: a part of the path/);
  });

  it("replaces the content, keeps a .bak of the previous one when asked, and leaves no temp file", async () => {
    const path = join(dir.path, "settings.json");
    await writeFile(path, "old\n");
    await writeFileAtomic(path, "new\n", { backup: true });
    assert.equal(await readFile(path, "utf8"), "new\n");
    assert.equal(await readFile(`${path}.bak`, "utf8"), "old\n");
    const names = await readdir(dir.path);
    assert.ok(!names.some((name) => name.endsWith(".tmp")), names.join(", "));
  });

  it("keeps an existing file's mode when none is given", async () => {
    if (!posix) return;
    const path = join(dir.path, "secret.json");
    await writeFileAtomic(path, "a", { mode: 0o600 });
    await writeFileAtomic(path, "b");
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it("leaves the old file intact when the write fails", async () => {
    const path = join(dir.path, "keep.json");
    await writeFile(path, "precious");
    const blocked = join(path, "child.json"); // parent is a file: mkdir fails
    await assert.rejects(writeFileAtomic(blocked, "x"));
    assert.equal(await readFile(path, "utf8"), "precious");
  });
});

describe("readTextIfExists", () => {
  it("returns undefined for a missing file and the text otherwise", async () => {
    const dir = await makeTempDir("read");
    try {
      assert.equal(await readTextIfExists(join(dir.path, "nope.json")), undefined);
      await writeFile(join(dir.path, "yes.json"), "hi");
      assert.equal(await readTextIfExists(join(dir.path, "yes.json")), "hi");
    } finally {
      await dir.remove();
    }
  });
});
