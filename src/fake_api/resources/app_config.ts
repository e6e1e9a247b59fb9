/**
 * An application's configuration: plain env vars (readable by anyone who can read) and secrets
 * (names on the read tier, values only through `secrets/reveal` on sensitive-read).
 */
import { appOf, type CommandHandlers, isoNow } from "../context.ts";
import { conflict, notFound, unprocessable } from "../envelope.ts";
import type { App } from "../state.ts";

const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;

function envList(app: App) {
  return Object.entries(app.envVars).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value }));
}

/** Env var and secret handlers. */
export const appConfigHandlers: CommandHandlers = {
  "apps/{id}/env-vars/list": (ctx) => envList(appOf(ctx)),
  "apps/{id}/env-vars/set": (ctx) => {
    const app = appOf(ctx);
    const vars = ctx.input.vars as Record<string, string>;
    const names = Object.keys(vars);
    if (names.length === 0) throw unprocessable([{ name: "vars", message: "must set at least one variable" }]);
    const bad = names.filter((name) => !ENV_NAME.test(name));
    if (bad.length > 0) throw unprocessable(bad.map((name) => ({ name: `vars.${name}`, message: "names are upper-case letters, digits and underscores" })));
    const secret = names.find((name) => app.secrets.some((candidate) => candidate.name === name));
    if (secret !== undefined) throw conflict(`${secret} is a secret of app "${app.name}"; set it with apps secrets set`);
    Object.assign(app.envVars, vars);
    return envList(app);
  },
  "apps/{id}/secrets/list": (ctx) => appOf(ctx).secrets.map(({ name, updatedAt }) => ({ name, updatedAt })),
  "apps/{id}/secrets/reveal": (ctx) => appOf(ctx).secrets.map(({ name, value, updatedAt }) => ({ name, value, updatedAt })),
  "apps/{id}/secrets/set": (ctx) => {
    const app = appOf(ctx);
    const name = String(ctx.input.name);
    if (name in app.envVars) throw conflict(`${name} is a plain env var of app "${app.name}"; remove it there first`);
    const updatedAt = isoNow(ctx);
    const existing = app.secrets.find((secret) => secret.name === name);
    if (existing !== undefined) {
      existing.value = String(ctx.input.value);
      existing.updatedAt = updatedAt;
    } else app.secrets.push({ name, value: String(ctx.input.value), updatedAt });
    return { name, updatedAt, created: existing === undefined };
  },
  "apps/{id}/secrets/{name}/delete": (ctx) => {
    const app = appOf(ctx);
    const name = ctx.params.name ?? "";
    if (!app.secrets.some((secret) => secret.name === name)) throw notFound(`secret "${name}" not found in app "${app.name}"`);
    app.secrets = app.secrets.filter((secret) => secret.name !== name);
    return { name, deleted: true };
  },
};
