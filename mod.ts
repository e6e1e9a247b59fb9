/** runos: the RunOS command-line tool and MCP servers. Entry point; all logic lives in src/. */
import process from "node:process";
import { main } from "./src/cli/main.ts";

const code = await main(process.argv.slice(2));
// Exit explicitly once output is flushed: an imported library (msw on Deno) can keep the event loop
// alive after the work is done.
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
process.exit(code);
