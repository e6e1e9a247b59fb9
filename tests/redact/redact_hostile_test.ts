/**
 * Hostile shapes (fixtures/redaction/hostile_shapes.json): crafted API answers, texts and progress
 * messages that a hostile client review used to get secrets out of the `read` and `write` servers.
 * Every row goes the way a real answer goes out (the MCP result builder of the tier, after
 * `interpretResponse` for HTTP answers), and its secret must not appear in any byte of the result,
 * while the row's `keep` text must, so that no row passes by redacting everything.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import table from "../../fixtures/redaction/hostile_shapes.json" with { type: "json" };
import { interpretResponse } from "../../src/api/response.ts";
import { errorResult, redactTextForTier, successResult } from "../../src/mcp/call/result.ts";
import { MAX_DEPTH, REDACTED, redactSensitive, redactText, TOO_DEEP } from "../../src/redact/redact.ts";
import type { Tier } from "../../src/policy/tier.ts";

interface Shape {
  readonly name: string;
  readonly reported: boolean;
  readonly kind: "text" | "value" | "response" | "progress";
  readonly input: unknown;
  readonly secret: string | readonly string[];
  readonly keep?: readonly string[];
}

interface HttpAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

const SHAPES = table.shapes as readonly Shape[];

/** What the client of `tier` receives for a row: every byte of it, and its human-readable text. */
function answer(shape: Shape, tier: Tier): { wire: string; text: string } {
  const context = { tier, command: "shape" };
  switch (shape.kind) {
    case "progress": {
      const text = redactTextForTier(tier, shape.input as string);
      return { wire: text, text };
    }
    case "response": {
      const http = shape.input as HttpAnswer;
      const raw = { status: http.status, headers: new Headers(http.headers ?? {}), text: http.body };
      let result;
      try {
        result = successResult(interpretResponse(raw, "GET /acme/shape"), context);
      } catch (error) {
        result = errorResult(error, context);
      }
      const text = result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
      return { wire: JSON.stringify(result), text };
    }
    default: {
      const result = successResult(shape.input, context);
      const redacted = shape.kind === "text" ? redactText(shape.input as string) : JSON.stringify(redactSensitive(shape.input));
      return { wire: JSON.stringify(result), text: redacted };
    }
  }
}

const secretsOf = (shape: Shape) => (typeof shape.secret === "string" ? [shape.secret] : shape.secret).filter((s) => s !== "");

describe("redaction against hostile shapes (fixtures/redaction/hostile_shapes.json)", () => {
  it("has a row for every reported shape, each with a secret found in its input", () => {
    assert.ok(SHAPES.length >= 40, `${SHAPES.length} rows`);
    assert.ok(SHAPES.filter((shape) => shape.reported).length >= 15);
    for (const shape of SHAPES) {
      for (const secret of secretsOf(shape)) assert.ok(JSON.stringify(shape.input).includes(JSON.stringify(secret).slice(1, -1)), shape.name);
    }
  });

  for (const shape of SHAPES) {
    for (const tier of ["read", "write"] as const) {
      it(`${tier}: ${shape.name}`, () => {
        const { wire, text } = answer(shape, tier);
        for (const secret of secretsOf(shape)) {
          assert.ok(!wire.includes(secret) && !text.includes(secret), `${secret} survived in ${text}`);
        }
        for (const kept of shape.keep ?? []) assert.ok(text.includes(kept), `${JSON.stringify(kept)} was lost: ${text}`);
      });
    }
  }

  it("sensitive tiers still see each text, value and progress secret (the rows can see a leak)", () => {
    for (const shape of SHAPES.filter((s) => s.kind !== "response")) {
      const { wire } = answer(shape, "sensitive-read");
      for (const secret of secretsOf(shape)) assert.ok(wire.includes(JSON.stringify(secret).slice(1, -1)), `${shape.name}: ${secret}`);
    }
  });

  it("keeps every value row's shape: arrays stay arrays of the same length, objects keep their key count, no number or boolean changes unless secret", () => {
    const sameShape = (before: unknown, after: unknown, path: string): void => {
      if (Array.isArray(before)) {
        assert.ok(Array.isArray(after), path);
        assert.equal(after.length, before.length, path);
        before.forEach((item, i) => sameShape(item, after[i], `${path}[${i}]`));
      } else if (typeof before === "object" && before !== null) {
        assert.ok(typeof after === "object" && after !== null && !Array.isArray(after), path);
        const [keysBefore, valuesAfter] = [Object.keys(before), Object.values(after)];
        assert.equal(valuesAfter.length, keysBefore.length, path);
        Object.values(before).forEach((item, i) => sameShape(item, valuesAfter[i], `${path}.${keysBefore[i]}`));
      } else if (typeof before === "number") assert.ok(after === before || after === REDACTED, path);
      else if (typeof before !== "string") assert.equal(after, before, path);
      else assert.equal(typeof after, "string", path);
    };
    for (const shape of SHAPES.filter((s) => s.kind === "value")) sameShape(shape.input, redactSensitive(shape.input), shape.name);
  });

  it("leaves what is not secret as it is", () => {
    for (const text of table.unchanged) assert.equal(redactText(text), text);
  });
});

describe("redaction of keys", () => {
  it("renames secret keys [redacted], [redacted-2], … in order, never onto a key that is kept", () => {
    const output = redactSensitive({
      "ghp_0123456789abcdefghijABCDEFGHIJ": 1,
      "[redacted]": 2,
      "a8F3kL9qZ2mX7vB4nC6tR1wY5": 3,
      "Qz7Wx2Ec5Rv8Tb1Yn4Um6Ik9": 4,
      plain: 5,
    });
    assert.deepEqual(Object.entries(output), [["[redacted-2]", 1], ["[redacted]", 2], ["[redacted-3]", 3], ["[redacted-4]", 4], ["plain", 5]]);
  });

  it("keeps ids, UUIDs, hex digests and identifiers as keys", () => {
    const input = {
      "0b7c2a52-1111-4222-8333-444455556666": 1,
      "9f3c2a1e9f3c2a1e9f3c2a1e9f3c2a1e9f3c2a1e": 2,
      "services/postgresql/{id}/exec-sql": 3,
      "ThisIsAVeryLongCamelCaseKeyName": 4,
      "__proto__": 5,
    };
    const output = redactSensitive(JSON.parse(JSON.stringify(input)) as Record<string, number>);
    assert.deepEqual(Object.keys(output), Object.keys(JSON.parse(JSON.stringify(input))));
    assert.equal(Object.getPrototypeOf(output), Object.prototype);
  });

  it("redacts the secret part of a key that holds one in text", () => {
    assert.deepEqual(Object.keys(redactSensitive({ "postgres://app:Pw1Xy2Zq3@db/app": true })), ["postgres://app:[redacted]@db/app"]);
  });
});

describe("redaction of deeply nested values", () => {
  const deep = (depth: number, leaf: unknown): unknown => {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { next: value } : [value];
    return value;
  };

  it("cuts a 20,000-deep value at MAX_DEPTH with a marker instead of overflowing the stack", () => {
    const output = redactSensitive(deep(20_000, { password: "deep-secret" }));
    let depth = 0;
    let cursor: unknown = output;
    while (typeof cursor === "object" && cursor !== null) {
      cursor = Array.isArray(cursor) ? cursor[0] : (cursor as { next: unknown }).next;
      depth++;
    }
    assert.equal(cursor, TOO_DEEP);
    assert.equal(depth, MAX_DEPTH);
    assert.ok(!JSON.stringify(output).includes("deep-secret"));
  });

  it("builds an MCP result for a 20,000-deep value on every tier that redacts", () => {
    const result = successResult(deep(20_000, "x"), { tier: "read" });
    assert.ok(JSON.stringify(result).includes(TOO_DEEP));
  });

  it("keeps a value at MAX_DEPTH - 1 whole", () => {
    assert.deepEqual(redactSensitive(deep(MAX_DEPTH - 1, "leaf")), deep(MAX_DEPTH - 1, "leaf"));
  });

  it("redacts deeply nested JSON inside text without overflowing", () => {
    const text = `${'{"a":'.repeat(20_000)}"token=Ab1Cd2Ef3Gh4"${"}".repeat(20_000)}`;
    assert.ok(!redactText(text).includes("Ab1Cd2Ef3Gh4"));
  });
});
