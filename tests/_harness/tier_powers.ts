/**
 * What each tier's server may do, written down apart from src/policy/decide.ts (its TIER_POWERS is what
 * the code under test reads): the write tiers change things, the sensitive tiers see secrets. Tests
 * take their expectations from here, so a wrong entry in the policy's table fails them.
 */
import type { Tier } from "../../src/policy/tier.ts";

/** The tiers whose servers may change anything; the other two only read. */
export const WRITING_TIERS: ReadonlySet<Tier> = new Set<Tier>(["write", "sensitive-write"]);

/** The tiers whose servers may show secrets; the other two never do. */
export const SECRET_TIERS: ReadonlySet<Tier> = new Set<Tier>(["sensitive-read", "sensitive-write"]);
