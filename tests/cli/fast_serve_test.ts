/**
 * The fast serve path reads `mcp serve`'s `--tools <mode>` and `--all-tools` as commander does, and
 * leaves every command line it is not sure of to main(), which reports its errors as before.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { serveCommandLine } from "../../src/cli/fast_serve.ts";

describe("serveCommandLine", () => {
  it("serves a plain serve line with commander's defaults", () => {
    const line = serveCommandLine(["mcp", "serve", "read"], {});
    assert.equal(line?.tier, "read");
    assert.equal(line?.toolsMode, "auto");
    assert.equal(line?.allTools, false);
  });

  it("takes --tools in both spellings and --all-tools after the word serve", () => {
    assert.equal(serveCommandLine(["mcp", "serve", "read", "--tools", "all"], {})?.toolsMode, "all");
    assert.equal(serveCommandLine(["mcp", "serve", "--tools=discover", "write"], {})?.toolsMode, "discover");
    assert.equal(serveCommandLine(["--log-level", "debug", "mcp", "serve", "read", "--all-tools"], {})?.allTools, true);
  });

  it("leaves to main() a mode commander refuses, a missing value, and serve options before the command", () => {
    assert.equal(serveCommandLine(["mcp", "serve", "read", "--tools", "some"], {}), undefined);
    assert.equal(serveCommandLine(["mcp", "serve", "read", "--tools"], {}), undefined);
    assert.equal(serveCommandLine(["--tools", "all", "mcp", "serve", "read"], {}), undefined);
    assert.equal(serveCommandLine(["--all-tools", "mcp", "serve", "read"], {}), undefined);
    assert.equal(serveCommandLine(["mcp", "serve", "read", "--http", "8080"], {}), undefined);
  });
});
