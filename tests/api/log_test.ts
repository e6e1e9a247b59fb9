import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createLogger } from "../../src/log.ts";
import { redactText } from "../../src/redact/redact.ts";

function capture(level: "debug" | "info" | "warn" | "error" | "silent") {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level, write: (line) => lines.push(line) }) };
}

describe("createLogger", () => {
  it("drops messages below its level", () => {
    const { lines, logger } = capture("warn");
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    assert.deepEqual(lines, ["runos warn: w\n", "runos error: e\n"]);
  });

  it("redacts Bearer tokens and runos_pat tokens in messages", () => {
    const { lines, logger } = capture("debug");
    logger.info("sending Authorization: Bearer abc.def.ghi with runos_pat_live_0123456789abcdef");
    assert.ok(!lines[0]!.includes("abc.def.ghi"));
    assert.ok(!lines[0]!.includes("runos_pat_live_0123456789abcdef"));
    assert.match(lines[0]!, /Bearer \[redacted\]/);
  });

  it("redacts the values of secret-looking keys at any depth, and connection-string passwords", () => {
    const { lines, logger } = capture("debug");
    logger.debug("request", {
      headers: { authorization: "Bearer xyz", accept: "application/json" },
      body: { name: "db", password: "hunter2", nested: [{ apiKey: "k-123", api_key: "k-456", token: "t-1", secret: "s-1" }] },
      connectionString: "postgres://admin:pw123@db:5432/app",
      url: "postgres://admin:pw456@db:5432/app",
    });
    const line = lines[0]!;
    for (const secret of ["xyz", "hunter2", "k-123", "k-456", "t-1", "s-1", "pw123", "pw456"]) {
      assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
    }
    assert.match(line, /"accept":"application\/json"/);
    assert.match(line, /"name":"db"/);
  });

  it("writes nothing at level silent", () => {
    const { lines, logger } = capture("silent");
    logger.error("e");
    assert.deepEqual(lines, []);
  });
});

describe("redactText", () => {
  it("keeps the user of a connection string but not its password", () => {
    assert.equal(redactText("redis://default:s3cret@vk1:6379"), "redis://default:[redacted]@vk1:6379");
  });
});
