/**
 * The README's first command: a real MCP client (the official SDK's Client over stdio) talks to
 * `runos mcp serve <tier> --sandbox`, which runs against the embedded fake RunOS API. It shows the
 * handshake and tools of the read server, calls the seed's examples make, the refusals that name the
 * right server, then a job with progress on the write server and a destructive call held back.
 *
 *   deno run -A scripts/demo.ts      (or: bun scripts/demo.ts)
 */
import process from "node:process";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const root = fileURLToPath(new URL("..", import.meta.url));
const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";

/** Start `runos mcp serve <tier> --sandbox` as a child process and connect an MCP client to it. */
async function connect(tier: string): Promise<Client> {
  const serve = [`${root}mod.ts`, "mcp", "serve", tier, "--sandbox"];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: isDeno ? ["run", "-A", ...serve] : serve,
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", RUNOS_CONFIG_DIR: `${root}.tmp/demo-config` },
    stderr: "inherit",
  });
  const client = new Client({ name: "runos-demo", version: "1.0.0" });
  const started = performance.now();
  await client.connect(transport);
  const info = client.getServerVersion();
  const { tools } = await client.listTools();
  console.log(`\n=== Connected to MCP server "${info?.name}" ${info?.version} in ${Math.round(performance.now() - started)} ms: ${tools.length} tools`);
  console.log(`    e.g. ${tools.slice(0, 6).map((tool) => tool.name).join(", ")}, …\n`);
  return client;
}

/** One line per listed item (its id, name and status), or the first lines of the text. */
function summary(result: { content: unknown; structuredContent?: unknown; isError?: boolean }): string {
  const items = (result.structuredContent as { items?: Record<string, unknown>[] } | undefined)?.items;
  if (!result.isError && Array.isArray(items)) {
    return items.map((item) => `  - ${[item.id, item.name, item.status ?? item.state].filter((v) => v !== undefined).join("  ")}`).join("\n");
  }
  const text = (result.content as { type: string; text?: string }[]).map((block) => block.text ?? "").join("\n");
  const lines = text.split("\n");
  const shown = lines.slice(0, 10).map((line, i) => `  ${i === 0 && result.isError ? "isError: " : ""}${line}`);
  return `${shown.join("\n")}${lines.length > 10 ? "\n  …" : ""}`;
}

async function call(client: Client, name: string, args: Record<string, unknown>, say: string): Promise<void> {
  console.log(`» ${say}\n  tools/call ${name} ${JSON.stringify(args)}`);
  const result = await client.callTool({ name, arguments: args }, {
    onprogress: (progress) => console.log(`  progress ${progress.progress}${progress.total ? `/${progress.total}` : ""} ${progress.message ?? ""}`),
  });
  console.log(`${summary(result)}\n`);
}

const read = await connect("read");
await call(read, "clusters_list", {}, "What clusters do I have?");
await call(read, "services_list", { cid: "i4y" }, "What services are running in my production cluster?");
await call(read, "nodes_list", { cid: "i4y" }, "Show me the status of all nodes in cluster i4y");
await call(read, "services_postgresql_credentials", { cid: "i4y", id: "users-db" }, "Give me the PostgreSQL connection string for users-db");
await call(read, "services_valkey_add", { cid: "i4y", name: "session-store", replicas: 2 }, "Create a new Valkey cache called session-store with 2 replicas");
await read.close();

const write = await connect("write");
await call(write, "services_valkey_add", { cid: "i4y", name: "session-store", replicas: 2 }, "Create a new Valkey cache called session-store with 2 replicas");
await call(write, "services_valkey_delete", { cid: "i4y", id: "session-store" }, "Delete it (no confirmation from the user yet)");
await write.close();

console.log("Done. Configure your assistant with `runos mcp configure claude|roo|codex|…`.");
