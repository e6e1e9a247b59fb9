/** runos: the RunOS command-line tool and MCP servers. Entry point; all logic lives in src/. */
import process from "node:process";
import { main } from "./src/cli/main.ts";

process.exitCode = await main(process.argv.slice(2));
