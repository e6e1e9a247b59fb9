/**
 * readEnvelope() reads an API error body exactly as the zod schema it replaced did (kept here as the
 * oracle): the same bodies are envelopes, with the same keys and values, over a corpus of well-formed,
 * malformed and hostile bodies.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { readEnvelope } from "../../src/api/response.ts";

const FieldSchema = z.looseObject({ name: z.string().optional(), field: z.string().optional(), message: z.string() })
  .transform((field) => ({ ...field, name: field.name ?? field.field ?? "" }));
const EnvelopeSchema = z.looseObject({
  error: z.string(),
  statusCode: z.coerce.number().int().optional().catch(undefined),
  reason: z.string().optional().catch(undefined),
  code: z.string().optional().catch(undefined),
  dependents: z.array(z.looseObject({ type: z.string().optional(), id: z.string().optional(), name: z.string().optional(), alias: z.string().optional() }))
    .optional().catch(undefined),
  fields: z.array(FieldSchema).optional().catch(undefined),
  retryAfter: z.number().nonnegative().optional().catch(undefined),
});

const ABSENT = Symbol("absent");
const CHOICES: Record<string, unknown[]> = {
  error: [ABSENT, "conflict", "", 5, null, ["x"]],
  statusCode: [ABSENT, 404, 200, "409", " 422 ", "abc", "", 4.5, null, true, false, [], [7], {}, -3, 1e21, undefined],
  reason: [ABSENT, "expired", 5, null, undefined],
  code: [ABSENT, "42601", 42601, null],
  dependents: [ABSENT, [], [{ id: "a1", name: "web" }], [{ id: 5 }], [null], "web", [{ type: "app", extra: { deep: 1 } }], [{ id: "a" }, { alias: 3 }], null],
  fields: [ABSENT, [], [{ name: "password", message: "too short" }], [{ field: "name", message: "taken" }], [{ message: 5 }], [{ name: 5, message: "m" }], [{ message: "m" }], "x", [{ name: "a", field: "b", message: "m", extra: true }]],
  retryAfter: [ABSENT, 5, 0, -1, "5", null, 2.5],
  other: [ABSENT, "kept", { nested: [1] }],
};

/** A seeded generator, so a failure names a body that fails again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function bodies(count: number): unknown[] {
  const next = random(42);
  const out: unknown[] = [null, 5, "error", [], [{ error: "x" }], { error: "x", statusCode: 404 }];
  for (let i = 0; i < count; i++) {
    const body: Record<string, unknown> = {};
    for (const [key, choices] of Object.entries(CHOICES)) {
      const choice = choices[Math.floor(next() * choices.length)];
      if (choice !== ABSENT) body[key] = choice;
    }
    out.push(body);
  }
  return out;
}

describe("readEnvelope()", () => {
  it("reads 6,000 bodies exactly as the zod schema it replaced", () => {
    for (const body of bodies(6_000)) {
      const parsed = EnvelopeSchema.safeParse(body);
      assert.deepStrictEqual(readEnvelope(body), parsed.success ? parsed.data : undefined, JSON.stringify(body));
    }
  });
});
