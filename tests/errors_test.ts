import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as errors from "../src/errors.ts";

describe("error kinds", () => {
  it("every error class has its own stable kind, spelled as the class is named in the source", () => {
    const classes = Object.entries(errors).filter(([, value]) => typeof value === "function" && "KIND" in value) as [string, typeof errors.RunosError][];
    assert.ok(classes.length >= 10);
    const kinds = new Set<string>();
    for (const [exported, cls] of classes) {
      assert.equal(cls.KIND, exported, `${exported}.KIND`);
      kinds.add(cls.KIND);
    }
    assert.equal(kinds.size, classes.length);
  });

  it("an instance reports its class's kind as both `kind` and `name`, and keeps its exit code", () => {
    const usage = new errors.UsageError("bad");
    assert.equal(usage.kind, "UsageError");
    assert.equal(usage.name, "UsageError");
    assert.equal(usage.exitCode, 2);
    const interrupted = new errors.InterruptedError("stopped");
    assert.equal(interrupted.kind, "InterruptedError");
    assert.equal(interrupted.exitCode, 130);
    assert.equal(new errors.ConfigFileError("/x", "broken").kind, "ConfigFileError");
  });
});

describe("errorOfKind()", () => {
  it("rebuilds an error of the reported kind, keeping its exit code; an unknown kind is a RunosError", () => {
    const usage = errors.errorOfKind("UsageError", "bad", { hint: "fix it" });
    assert.ok(usage instanceof errors.UsageError);
    assert.equal(usage.exitCode, 2);
    assert.equal(usage.hint, "fix it");
    assert.ok(errors.errorOfKind("AuthError", "no") instanceof errors.AuthError);
    const unknown = errors.errorOfKind("toString", "odd");
    assert.equal(unknown.kind, "RunosError");
    assert.equal(errors.errorOfKind(undefined, "none").exitCode, 1);
  });
});
