import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildOperations } from "../../src/catalog/operation.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { patternExample, patternInWords } from "../../src/catalog/pattern_words.ts";
import { CLUSTER_ID_PATTERN, CLUSTER_ID_RULE } from "../../src/cluster_id.ts";
import { loadCatalogFixture } from "../_harness/catalogs.ts";

/** Patterns and the words a person should read for them, written down by hand. */
const SAID: readonly (readonly [pattern: string, words: string])[] = [
  ["^[a-z][a-z0-9-]{1,38}$", "2–39 lower-case letters, digits and hyphens, starting with a lower-case letter"],
  ["^[a-z_][a-z0-9_]{0,62}$", "1–63 lower-case letters, digits and underscores, starting with a lower-case letter or an underscore"],
  ["^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", "3–63 lower-case letters, digits, dots and hyphens, starting and ending with a lower-case letter or a digit"],
  ["^[0-9a-f]{7,40}$", "7–40 hexadecimal digits (0–9, a–f)"],
  ["^[A-Z_][A-Z0-9_]{0,127}$", "1–128 upper-case letters, digits and underscores, starting with an upper-case letter or an underscore"],
  ["^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$", "1–64 letters, digits, spaces, underscores, dots and hyphens, starting with a letter or a digit"],
  ["^(https://|git@)\\S+$", "text starting with https:// or git@, without spaces"],
  ["^[a-z]+-[0-9]$", "one or more lower-case letters, a hyphen, then a digit"],
  ["^(dev|prod)-[0-9]{2}$", '"dev" or "prod", a hyphen, then 2 digits'],
  ["^\\w+$", "one or more letters, digits and underscores"],
];

const ISO_TIME = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$";

describe("a catalog pattern said in words", () => {
  for (const [pattern, words] of SAID) {
    it(`${pattern} → ${words}`, () => assert.equal(patternInWords(pattern), words));
  }

  it("the cluster id's pattern reads as the rule the project states for it", () => {
    assert.equal(patternInWords(CLUSTER_ID_PATTERN.source), CLUSTER_ID_RULE);
  });

  it("a long pattern is shown by the description's example when it matches, else by one made to match", () => {
    assert.equal(patternInWords(ISO_TIME, "Expiry as an RFC 3339 time with zone, e.g. 2026-01-31T00:00:00Z; never expires."), "a value like 2026-01-31T00:00:00Z");
    assert.equal(patternInWords(ISO_TIME, "Expiry, e.g. tomorrow."), "a value like 0000-00-00T00:00:00Z", "an example that does not match is not used");
    assert.deepEqual(patternExample(ISO_TIME), { value: "0000-00-00T00:00:00Z", fromDescription: false });
  });

  it("a pattern it cannot read gets no words (unanchored, lookaround, negated class)", () => {
    for (const pattern of ["abc", "^(?=x)a$", "^[^a]+$", "^(a)\\1$"]) assert.equal(patternInWords(pattern), undefined, pattern);
  });

  it("every pattern of the embedded and the full-scale catalogs is said in words, and every made example matches", () => {
    for (const catalog of [baselineCatalog(), loadCatalogFixture("runos_full")]) {
      for (const operation of buildOperations(catalog)) {
        for (const param of operation.params) {
          if (param.pattern === undefined) continue;
          const words = patternInWords(param.pattern, param.description);
          assert.ok(words !== undefined && !words.includes(param.pattern), `${operation.command} ${param.name}: ${param.pattern}`);
          const example = patternExample(param.pattern, param.description);
          if (example !== undefined) assert.match(example.value, new RegExp(param.pattern, "u"));
        }
      }
    }
  });
});
