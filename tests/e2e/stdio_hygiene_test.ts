/**
 * A tier server's stdout carries JSON-RPC 2.0 and nothing else, even when the client sends garbage or
 * an unknown method, and the server keeps answering afterwards. Driven over raw stdio, without the SDK,
 * so that a stray log line or banner on stdout cannot hide behind a lenient client.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createFakeApi, serveFakeApiHttp } from "../../src/fake_api/mod.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { type JsonRpcLine, RawStdioServer, runosEnv, markCatalogChecked } from "../_harness/mcp_client.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw-e2e", version: "0.0.0" } },
};

for (const runtime of ["deno", "bun"] as const) {
  describe(`stdio hygiene of \`runos mcp serve read\` on ${runtime}`, () => {
    let api: ReturnType<typeof createFakeApi>;
    let http: Awaited<ReturnType<typeof serveFakeApiHttp>>;
    let home: TempDir;
    let server: RawStdioServer;
    let ended = false;

    let pending: Promise<void> | undefined;
    /** Start the server and run the whole exchange once, in the first test (Bun gives hooks only 5 s). */
    const ready = () => (pending ??= exchange());
    async function exchange(): Promise<void> {
      api = createFakeApi();
      http = await serveFakeApiHttp(api, { port: 0, hostname: "127.0.0.1" });
      home = await makeTempDir("stdio");
      await markCatalogChecked(home.path); // the served catalog is newer: keep the baseline these checks are about
      server = new RawStdioServer(runtime, ["mcp", "serve", "read"], runosEnv({ configDir: home.path, apiUrl: http.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID, clusterId: "i4y" }));
      server.send(JSON.stringify(INITIALIZE));
      await server.response(1);
      server.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
      server.send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
      await server.response(2);
      server.send("this is {not json");
      server.send(JSON.stringify({ hello: "not a JSON-RPC message" }));
      server.send(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "runos/no-such-method", params: {} }));
      await server.response(3);
      server.send(JSON.stringify({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "clusters_list", arguments: {} } }));
      await server.response(4);
      server.send(JSON.stringify({ jsonrpc: "2.0", id: 5, method: "ping" }));
      await server.response(5);
    }

    after(async () => {
      await pending?.catch(() => {});
      if (!ended) await server?.kill();
      await http?.close();
      await home?.remove();
    });

    it("writes only complete JSON-RPC 2.0 lines to stdout", { timeout: 60_000 }, async () => {
      await ready();
      assert.ok(server.lines.length >= 5, `expected at least 5 stdout lines, got ${server.lines.length}`);
      for (const line of server.lines) {
        let message: JsonRpcLine;
        try {
          message = JSON.parse(line) as JsonRpcLine;
        } catch {
          assert.fail(`stdout line is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
        }
        assert.equal(message.jsonrpc, "2.0", `not JSON-RPC 2.0: ${line.slice(0, 200)}`);
        const isResponse = "id" in message && ("result" in message || "error" in message);
        const isServerMessage = typeof message.method === "string";
        assert.ok(isResponse || isServerMessage, `neither a response nor a request/notification: ${line.slice(0, 200)}`);
      }
      assert.equal(server.partial(), "", "stdout ended with an unterminated line");
    });

    it("answers initialize and tools/list with results", async () => {
      await ready();
      const init = await server.response(1);
      assert.equal((init.result as { serverInfo: { name: string } }).serverInfo.name, "runos");
      const list = await server.response(2);
      const tools = (list.result as { tools: { name: string }[] }).tools;
      assert.ok(tools.some((tool) => tool.name === "clusters_list"));
    });

    it("answers an unknown method with a JSON-RPC method-not-found error", async () => {
      await ready();
      const reply = await server.response(3);
      assert.equal(reply.result, undefined);
      assert.equal(reply.error?.code, -32601);
    });

    it("answers a malformed line with a JSON-RPC parse error (id null) and nothing else", async () => {
      await ready();
      const parseErrors = server.parsed().filter((message) => message.error?.code === -32700);
      const seen = server.lines.map((line) => line.slice(0, 160)).join("\n");
      assert.equal(parseErrors.length, 1, `expected one -32700 parse error on stdout, got:\n${seen}`);
      assert.equal(parseErrors[0]!.id, null);
    });

    it("answers JSON that is not a JSON-RPC message with an invalid-request error (id null)", async () => {
      await ready();
      const invalid = server.parsed().filter((message) => message.error?.code === -32600);
      assert.equal(invalid.length, 1, `expected one -32600 invalid request on stdout, got:\n${server.lines.map((line) => line.slice(0, 160)).join("\n")}`);
      assert.equal(invalid[0]!.id, null);
    });

    it("keeps serving after the malformed line and the unknown method", async () => {
      await ready();
      const call = await server.response(4);
      assert.equal(call.error, undefined, "tools/call after garbage must still answer with a result");
      const ping = await server.response(5);
      assert.deepEqual(ping.result, {});
    });

    it("exits cleanly with code 0 once the client closes stdin", { timeout: 30_000 }, async () => {
      await ready();
      const code = await server.end(10_000);
      ended = true;
      assert.equal(code, 0);
    });
  });
}
