import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type ArgumentSpec, checkArguments, compileArguments } from "../../src/catalog/arguments.ts";
import { argumentsSchema } from "../../src/catalog/input_schema.ts";
import { toOperation } from "../../src/catalog/operation.ts";
import { CLI_ALLOWED, operationPolicy } from "../../src/policy/call_plan.ts";
import { CommandSchema } from "../../src/catalog/schema.ts";

const valkeyAdd = toOperation(CommandSchema.parse({
  command: "services/valkey/add",
  endpoint: "/:aid/:cid/services/valkey",
  method: "POST",
  mcp: ["write"],
  input: {
    fields: [
      { name: "name", type: "string", required: true, pattern: "^[a-z][a-z0-9-]{1,38}$", description: "Cache name." },
      { name: "version", type: "string", enum: ["8.0", "7.2"], default: "8.0" },
      { name: "replicas", type: "integer", minimum: 1, maximum: 5, default: 1 },
      { name: "labels", type: "object", valueType: "string" },
      { name: "zones", type: "array", itemType: "string" },
    ],
    flags: [{ name: "wait", description: "Wait for it.", default: false }, { name: "secured", description: "Require TLS.", default: true }],
  },
}));

/** The operation's arguments, as a tool takes them. */
const valkeyAddSpecs = operationPolicy(valkeyAdd, CLI_ALLOWED).arguments;

/** The one checker over `specs`, in the JSON (model) mode. */
function compileValidator(specs: readonly ArgumentSpec[], optional: readonly string[] = []) {
  const compiled = compileArguments(specs);
  return (raw: unknown) => {
    const check = checkArguments(compiled, raw, { mode: "json", optional: new Set(optional) });
    return check.ok ? { ok: true as const, value: check.values } : check;
  };
}

describe("argumentsSchema()", () => {
  it("carries types, required, enum, pattern, default, description and bounds; a boolean's false default goes without saying", () => {
    const schema = argumentsSchema(valkeyAddSpecs);
    assert.deepEqual(schema, {
      type: "object",
      properties: {
        name: { type: "string", description: "Cache name.", pattern: "^[a-z][a-z0-9-]{1,38}$" },
        version: { type: "string", enum: ["8.0", "7.2"], default: "8.0" },
        replicas: { type: "integer", default: 1, minimum: 1, maximum: 5 },
        labels: { type: "object", additionalProperties: { type: "string" } },
        zones: { type: "array", items: { type: "string" } },
        wait: { type: "boolean", description: "Wait for it." },
        secured: { type: "boolean", description: "Require TLS.", default: true },
      },
      required: ["name"],
      additionalProperties: false,
    });
  });

  it("leaves out the flags the caller excludes", () => {
    const schema = argumentsSchema(valkeyAddSpecs.filter((spec) => spec.name !== "wait"));
    assert.equal(schema.properties.wait, undefined);
  });
});

describe("checkArguments() in JSON mode", () => {
  const validate = compileValidator(valkeyAddSpecs);

  it("accepts good arguments and coerces numbers and booleans sent as strings", () => {
    assert.deepEqual(validate({ name: "session-store", replicas: "2", wait: "true" }), {
      ok: true,
      value: { name: "session-store", replicas: 2, wait: true },
    });
  });

  it("says what an argument must be, with the value it got", () => {
    const check = validate({ name: "session-store", replicas: "two" });
    assert.deepEqual(check, { ok: false, problems: ['argument `replicas` must be an integer between 1 and 5; got "two"'] });
    assert.deepEqual(validate({ name: "session-store", replicas: 9 }), { ok: false, problems: ["argument `replicas` must be an integer between 1 and 5; got 9"] });
  });

  it("treats names of Object.prototype members as unknown arguments", () => {
    const validate = compileValidator([{ name: "name", type: "string", required: false }]);
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const result = validate(JSON.parse(`{"${name}": "x"}`));
      assert.equal(result.ok, false, name);
      if (!result.ok) assert.ok(result.problems[0]!.startsWith(`unknown argument \`${name}\``), result.problems[0]);
    }
  });

  it("names enum choices, patterns, missing and unknown arguments", () => {
    const check = validate({ version: "6", zone: "a" });
    assert.equal(check.ok, false);
    const problems = check.ok ? [] : check.problems;
    assert.ok(problems.includes('argument `version` must be one of "8.0", "7.2"; got "6"'), problems.join("\n"));
    assert.ok(problems.some((problem) => /^unknown argument `zone`; valid: `name`, `version`/.test(problem)));
    assert.ok(problems.includes("missing required argument `name` (Cache name.)"));
    const bad = validate({ name: "Bad Name" });
    assert.deepEqual(bad, { ok: false, problems: ['argument `name` must be 2–39 lower-case letters, digits and hyphens, starting with a lower-case letter; got "Bad Name"'] });
  });

  it("refuses arguments that are not an object and treats none as empty", () => {
    assert.deepEqual(validate([1]), { ok: false, problems: ["arguments must be a JSON object"] });
    assert.equal(compileValidator([])(undefined).ok, true);
  });

  it("lets the caller handle a required name itself", () => {
    const specs: ArgumentSpec[] = [...valkeyAddSpecs, { name: "confirm", type: "boolean", required: true }];
    assert.equal(compileValidator(specs, ["confirm"])({ name: "abc" }).ok, true);
    assert.equal(compileValidator(specs)({ name: "abc" }).ok, false);
  });
});
