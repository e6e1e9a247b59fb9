/**
 * `runos mcp serve` answers a client's handshake before the MCP SDK loads, then hands the
 * connection to the SDK's server: driven over raw stdio, the client sees one answer per request and
 * nothing else (no answer to the replayed initialize), the handshake's answers are byte for byte
 * those the SDK's server writes when it answers them itself, and a catalog that changes before
 * tools/list is announced before it is listed, as before; a catalog replaced between calls is
 * announced and listed, and the calls after it run, without the SDK's server.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { REPLAYED_INITIALIZE_ID } from "../../src/mcp/stdio/handshake.ts";
import { hasBinary, RawStdioServer, runosEnv, type ServerRuntime } from "../_harness/mcp_client.ts";
import { makeTempDir } from "../_harness/temp_project.ts";

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: { roots: {} }, clientInfo: { name: "handshake-e2e", version: "0.0.0" } },
};
const send = (server: RawStdioServer, message: unknown) => server.send(JSON.stringify(message));

/** The stdout line answering request `id`. */
function answerLine(server: RawStdioServer, id: unknown): string {
  const found = server.lines.filter((text) => {
    const message = JSON.parse(text) as { id?: unknown; method?: unknown };
    return message.id === id && message.method === undefined;
  });
  assert.equal(found.length, 1, `expected one answer to id ${JSON.stringify(id)}, got ${found.length}`);
  return found[0]!;
}

/**
 * The embedded catalog cached in the default profile under `configDir`, and a newer one without
 * `clusters/list` written in its place (with a later mtime, so a running server sees the change).
 */
async function cacheBaselineCatalog(configDir: string): Promise<{ dropClustersList(): Promise<void> }> {
  const manifest = join(configDir, "cache", "default", "manifest.json");
  const catalog = baselineCatalog();
  const write = async (written: typeof catalog, mtimeMs: number) => {
    await writeFile(manifest, JSON.stringify(written));
    await utimes(manifest, new Date(mtimeMs), new Date(mtimeMs));
  };
  await mkdir(dirname(manifest), { recursive: true });
  await write(catalog, 1_000_000);
  return {
    dropClustersList: () =>
      write({ ...catalog, version: `${catalog.version}-fewer`, commands: catalog.commands.filter((command) => command.command !== "clusters/list") }, 2_000_000),
  };
}

const RUNTIMES: ServerRuntime[] = hasBinary() ? ["deno", "bun", "binary"] : ["deno", "bun"];
for (const runtime of RUNTIMES) {
  describe(`the handshake of \`runos mcp serve read\` on ${runtime}`, () => {
    it("answers every request once, the SDK's requests too, and never the replayed initialize", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("handshake");
      const server = new RawStdioServer(runtime, ["mcp", "serve", "read"], runosEnv({ configDir: home.path }));
      try {
        send(server, INITIALIZE);
        await server.response(1);
        send(server, { jsonrpc: "2.0", method: "notifications/initialized" });
        send(server, { jsonrpc: "2.0", id: 2, method: "tools/list" });
        await server.response(2);
        send(server, { jsonrpc: "2.0", id: 3, method: "ping" });
        send(server, { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "clusters_list", arguments: {} } });
        await server.response(3);
        await server.response(4);
        assert.equal(await server.end(10_000), 0);
        assert.deepEqual(server.parsed().map((message) => message.id), [1, 2, 3, 4]);
        assert.ok(!server.lines.some((text) => text.includes(REPLAYED_INITIALIZE_ID)));
        assert.match(answerLine(server, 4), /not authenticated/);
      } finally {
        await server.kill().catch(() => {});
        await home.remove();
      }
    });

    it("answers everything it read before stdin closed, however fast the client closes it", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("handshake");
      const server = new RawStdioServer(runtime, ["mcp", "serve", "read", "--sandbox"], runosEnv({ configDir: home.path }));
      try {
        // All four at once, then end of input: nothing waits for an answer before the next line.
        send(server, INITIALIZE);
        send(server, { jsonrpc: "2.0", method: "notifications/initialized" });
        send(server, { jsonrpc: "2.0", id: 2, method: "tools/list" });
        send(server, { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "clusters_list", arguments: {} } });
        server.send("\ufeff" + JSON.stringify({ jsonrpc: "2.0", id: 4, method: "ping" }));
        assert.equal(await server.end(30_000), 0);
        // Answered in any order (the ping need not wait for the call), each exactly once.
        assert.deepEqual(server.parsed().map((message) => message.id).sort(), [1, 2, 3, 4]);
        assert.match(answerLine(server, 3), /i4y/);
      } finally {
        await server.kill().catch(() => {});
        await home.remove();
      }
    });

    it("answers initialize and tools/list with the very bytes the SDK's server writes", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("handshake");
      const env = runosEnv({ configDir: home.path, clusterId: "i4y" });
      const early = new RawStdioServer(runtime, ["mcp", "serve", "read"], env);
      // A ping first: the handshake hands over at once and the SDK's server answers everything.
      const late = new RawStdioServer(runtime, ["mcp", "serve", "read"], env);
      try {
        send(late, { jsonrpc: "2.0", id: 0, method: "ping" });
        await late.response(0);
        for (const server of [early, late]) {
          send(server, INITIALIZE);
          await server.response(1);
          send(server, { jsonrpc: "2.0", method: "notifications/initialized" });
          send(server, { jsonrpc: "2.0", id: 2, method: "tools/list" });
          await server.response(2);
        }
        assert.equal(answerLine(early, 1), answerLine(late, 1));
        assert.equal(answerLine(early, 2), answerLine(late, 2));
      } finally {
        await early.kill().catch(() => {});
        await late.kill().catch(() => {});
        await home.remove();
      }
    });

    it("announces a catalog that changed on disk after initialize, then lists it", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("handshake");
      const cached = await cacheBaselineCatalog(home.path);
      const server = new RawStdioServer(runtime, ["mcp", "serve", "read"], runosEnv({ configDir: home.path }));
      try {
        send(server, INITIALIZE);
        await server.response(1);
        await cached.dropClustersList();
        send(server, { jsonrpc: "2.0", method: "notifications/initialized" });
        send(server, { jsonrpc: "2.0", id: 2, method: "tools/list" });
        const list = await server.response(2);
        const names = (list.result as { tools: { name: string }[] }).tools.map((tool) => tool.name);
        assert.ok(names.includes("clusters_show") && !names.includes("clusters_list"), names.join(", "));
        const methods = server.parsed().map((message) => message.method ?? `answer ${String(message.id)}`);
        assert.deepEqual(methods, ["answer 1", "notifications/tools/list_changed", "answer 2"]);
      } finally {
        await server.kill().catch(() => {});
        await home.remove();
      }
    });

    it("announces a catalog replaced between calls, lists it and goes on calling without the SDK's server", { timeout: 60_000 }, async () => {
      const home = await makeTempDir("handshake");
      const cached = await cacheBaselineCatalog(home.path);
      const server = new RawStdioServer(runtime, ["mcp", "serve", "read", "--log-level", "debug"], runosEnv({ configDir: home.path }));
      const takenOver = () => server.stderrChunks.join("").includes("the MCP SDK's server takes over stdio");
      const names = (answer: { result?: unknown }) => (answer.result as { tools: { name: string }[] }).tools.map((tool) => tool.name);
      try {
        send(server, INITIALIZE);
        await server.response(1);
        send(server, { jsonrpc: "2.0", method: "notifications/initialized" });
        send(server, { jsonrpc: "2.0", id: 2, method: "tools/list" });
        assert.ok(names(await server.response(2)).includes("clusters_list"));
        send(server, { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "clusters_list", arguments: {} } });
        await server.response(3);

        await cached.dropClustersList();
        send(server, { jsonrpc: "2.0", id: 4, method: "tools/list" });
        const listed = names(await server.response(4));
        assert.ok(listed.includes("clusters_show") && !listed.includes("clusters_list"), listed.join(", "));
        send(server, { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "clusters_list", arguments: {} } });
        const gone = (await server.response(5)).result as { isError?: boolean; content: Array<{ text: string }> };
        assert.equal(gone.isError, true, "a tool the new catalog dropped is refused");
        assert.match(gone.content[0]!.text, /unknown tool `clusters_list`/);
        const methods = server.parsed().map((message) => message.method ?? `answer ${String(message.id)}`);
        assert.deepEqual(methods, ["answer 1", "answer 2", "answer 3", "notifications/tools/list_changed", "answer 4", "answer 5"]);
        assert.ok(!takenOver(), `the SDK's server took over:\n${server.stderrChunks.join("")}`);

        // The first message the handshake does not answer still goes to the SDK's server (and the log says so).
        send(server, { jsonrpc: "2.0", id: 6, method: "prompts/list" });
        await server.response(6);
        assert.ok(takenOver(), server.stderrChunks.join(""));
      } finally {
        await server.kill().catch(() => {});
        await home.remove();
      }
    });
  });
}
