/**
 * The bench's floor: the least an MCP server built on our SDK can do. The SDK's low-level `Server`
 * with one tool (`echo`, answering its `text` argument) on stdio, nothing else loaded. `make bench`
 * compiles it as runos is compiled (scripts/compile.sh), but without --splitting, which only costs a
 * single-module program memory (4 MiB here): so the floor is the stricter reference. The bench also
 * runs it with `deno run -A` (the Deno floor), so runos's figures read as ratios to what the SDK
 * alone costs on the same machine. It leaves when stdin closes, as the stdio binding asks.
 */
import process from "node:process";
import { type CallToolResult, Server, type Tool } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";

const ECHO: Tool = {
  name: "echo",
  description: "Answer the text it is given.",
  inputSchema: { type: "object", properties: { text: { type: "string", description: "what to answer" } } },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

const server = new Server({ name: "bench-floor", version: "0.0.0" }, { capabilities: { tools: {} } });
server.setRequestHandler("tools/list", () => ({ tools: [ECHO] }));
server.setRequestHandler("tools/call", (request): CallToolResult => {
  const text = (request.params.arguments as { text?: unknown } | undefined)?.text;
  return { content: [{ type: "text", text: typeof text === "string" ? text : "" }] };
});
server.onclose = () => process.exit(0);
await server.connect(new StdioServerTransport());
