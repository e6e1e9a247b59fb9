/**
 * Who is calling: `Authorization: Bearer <token>` checked against the demo token and the account's
 * API keys. Unknown or missing → 401 `{"error":"Invalid token"}`; revoked or expired → 401 with `reason`.
 */
import { DEMO_TOKEN } from "./demo.ts";
import { invalidToken, refusedToken } from "./envelope.ts";
import type { FakeState } from "./state.ts";

/** The account a valid token belongs to. */
export interface Caller {
  readonly accountId: string;
  readonly keyId?: string;
}

/** Check the request's token; throws an ApiProblem (401) when it is not accepted. */
export function authenticate(state: FakeState, authorization: string | null, now: number): Caller {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (match === null) throw invalidToken();
  const token = match[1]!;
  if (token === DEMO_TOKEN) return { accountId: state.account.id };
  const key = state.apiKeys.find((candidate) => candidate.token === token);
  if (key === undefined) throw invalidToken();
  if (key.revokedAt !== null) throw refusedToken("revoked", key.revokedAt);
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) throw refusedToken("expired", key.expiresAt);
  key.lastUsedAt = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { accountId: state.account.id, keyId: key.id };
}
