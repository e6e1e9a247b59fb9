/** runos: the RunOS command-line tool and MCP servers. Entry point; all logic lives in src/. */
import process from "node:process";
import { holdJitForStartUp } from "./src/runtime.ts";

// First, before the start's modules load (hence the import below, not at the top): a server's
// one-time work is interpreted, not compiled, on Bun. Any other command gets the JIT back at once.
const releaseJit = holdJitForStartUp();
const { fastServe } = await import("./src/cli/fast_serve.ts");
const argv = process.argv.slice(2);
// `runos mcp serve <tier>` starts without commander's command tree; every other command line goes
// through main(), loaded only then.
let code = await fastServe(argv);
if (code === undefined) {
  releaseJit();
  code = await (await import("./src/cli/main.ts")).runProcess(argv);
}
// Exit explicitly once output is flushed: an imported library (msw on Deno) can keep the event loop
// alive after the work is done.
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
process.exit(code);
