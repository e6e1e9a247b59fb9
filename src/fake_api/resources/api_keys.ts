/**
 * API keys (personal access tokens): list (never the token), add (the token once), revoke. Tokens of
 * added keys are accepted by the fake API's auth at once; revoked ones get 401 `reason: "revoked"`.
 */
import { type CommandHandlers, isoNow, mintSecret } from "../context.ts";
import { conflict, notFound, unprocessable } from "../envelope.ts";
import type { ApiKey } from "../state.ts";

function publicView(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.token.slice(0, 14),
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}

/** API key handlers. */
export const apiKeyHandlers: CommandHandlers = {
  "account/api-keys/list": (ctx) => ctx.state.apiKeys.map(publicView),
  "account/api-keys/add": (ctx) => {
    const name = String(ctx.input.name);
    const expiresAt = ctx.input.expiresAt as string | undefined;
    if (expiresAt !== undefined && (Number.isNaN(Date.parse(expiresAt)) || Date.parse(expiresAt) <= ctx.clock.now())) {
      throw unprocessable([{ name: "expiresAt", message: "must be a valid time in the future" }]);
    }
    if (ctx.state.apiKeys.some((key) => key.name === name && key.revokedAt === null)) throw conflict(`an API key named "${name}" already exists`);
    const token = mintSecret(ctx.state, `runos_pat_${name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`);
    let id = "";
    do id = `key${crypto.randomUUID().slice(0, 2)}`; while (ctx.state.apiKeys.some((existing) => existing.id === id));
    const key: ApiKey = {
      id,
      name,
      token,
      createdAt: isoNow(ctx),
      expiresAt: expiresAt === undefined ? null : new Date(Date.parse(expiresAt)).toISOString().replace(/\.\d{3}Z$/, "Z"),
      lastUsedAt: null,
      revokedAt: null,
    };
    ctx.state.apiKeys.push(key);
    return { ...publicView(key), token };
  },
  "account/api-keys/{id}/revoke": (ctx) => {
    const id = ctx.params.id ?? "";
    const key = ctx.state.apiKeys.find((candidate) => candidate.id === id);
    if (key === undefined) throw notFound(`API key "${id}" not found`);
    if (key.revokedAt !== null) throw conflict(`API key "${id}" was already revoked at ${key.revokedAt}`);
    key.revokedAt = isoNow(ctx);
    return { id: key.id, name: key.name, revokedAt: key.revokedAt };
  },
};
