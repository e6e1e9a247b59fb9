/** `make readme`: regenerate README.md's tool table from the embedded catalog. */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { baselineCatalog } from "../src/catalog/load.ts";
import { buildOperations } from "../src/catalog/operation.ts";
import { renderToolTable, replaceToolTable } from "../src/mcp/tools/tool_table.ts";

const path = fileURLToPath(new URL("../README.md", import.meta.url));
const before = readFileSync(path, "utf8");
const after = replaceToolTable(before, renderToolTable(buildOperations(baselineCatalog())));
if (after !== before) writeFileSync(path, after);
console.log(after === before ? "README.md tool table is up to date" : "README.md tool table rewritten");
