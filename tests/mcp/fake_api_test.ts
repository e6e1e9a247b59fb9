import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createApiClient } from "../../src/api/client.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN, KNOWN_SECRETS } from "../../src/fake_api/mod.ts";
import { TIERS } from "../../src/policy/tier.ts";
import { type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { isMutatingRequest, sweepListedTools } from "../_harness/sample_args.ts";
import { SECRET_TIERS, WRITING_TIERS } from "../_harness/tier_powers.ts";
import { baselineOperations, connect } from "./_support.ts";

/** Calls that must fail here, and how: no catalog source is wired, and the seeded cache has a dependent app. */
const EXPECTED_FAILURES: Readonly<Record<string, RegExp>> = {
  manifest_update: /manifest_update is not available in this context/,
  services_valkey_delete: /conflict: valkey service \\"session-cache\\" is used by app web/,
};

describe("tier servers against the in-process fake API", () => {
  let harness: FakeApiHarness;
  before(async () => {
    harness = await startFakeApi();
  });
  after(async () => {
    await harness.close();
  });

  for (const tier of TIERS) {
    const hidden = !SECRET_TIERS.has(tier);
    it(`calls every ${tier} tool: ${hidden ? "no known secret in any answer" : "nothing redacted"}${WRITING_TIERS.has(tier) ? "" : ", no mutating request"}`, async () => {
      harness.api.reset();
      const client = createApiClient({ baseUrl: harness.url, token: DEMO_TOKEN, retries: 0 });
      const pair = await connect(tier, {
        session: { authenticated: true, accountId: DEMO_ACCOUNT_ID, client },
        jobWaitMs: 20,
        jobPollMs: 5,
      });
      try {
        const calls = await sweepListedTools(pair.client, baselineOperations());
        assert.ok(calls.length > 10);
        const wire = JSON.stringify(calls);
        const leaked = KNOWN_SECRETS.filter((secret) => wire.includes(secret));
        if (hidden) assert.deepEqual(leaked, [], `secrets leaked on ${tier}`);
        else assert.ok(!wire.includes("[redacted]"), `the ${tier} server redacted something`);
        for (const call of calls) {
          assert.equal(call.thrown, undefined, `${call.name} threw ${call.thrown}`);
          // Sample arguments are well-formed and confirmed: every listed tool succeeds, but for the
          // refusals the seeded state and this server's wiring make certain.
          const text = JSON.stringify(call.result?.content);
          const expected = EXPECTED_FAILURES[call.name];
          if (expected !== undefined) assert.match(text, expected, `${call.name} on ${tier}`);
          else assert.notEqual(call.result?.isError, true, `${call.name} on ${tier} failed: ${text}`);
        }
        if (!WRITING_TIERS.has(tier)) {
          assert.deepEqual(harness.api.log.filter(isMutatingRequest).map((entry) => `${entry.method} ${entry.path}`), []);
        }
      } finally {
        await pair.close();
      }
    });
  }
});
