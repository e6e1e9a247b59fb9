import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isSensitiveKey, REDACTED, redactSensitive, redactText } from "../../src/policy/redact.ts";

describe("redactSensitive()", () => {
  it("replaces secret values at any depth in objects and arrays", () => {
    const input = {
      service: { id: "pg001", credentials: { username: "app", password: "hunter2", port: 5432 } },
      keys: [{ name: "ci", apiKey: "k-123" }, { name: "deploy", api_key: "k-456" }],
      env: { DB_PASSWORD: "pw", AWS_SECRET_ACCESS_KEY: "aws", "private-key": "-----BEGIN" },
      auth: { Authorization: "Bearer abc", accessKey: "AK", secretKey: "SK", refresh_token: "rt" },
    };
    const output = redactSensitive(input);
    assert.deepEqual(output, {
      service: { id: "pg001", credentials: { username: "app", password: REDACTED, port: 5432 } },
      keys: [{ name: "ci", apiKey: REDACTED }, { name: "deploy", api_key: REDACTED }],
      env: { DB_PASSWORD: REDACTED, AWS_SECRET_ACCESS_KEY: REDACTED, "private-key": REDACTED },
      auth: { Authorization: REDACTED, accessKey: REDACTED, secretKey: REDACTED, refresh_token: REDACTED },
    });
  });

  it("leaves the input untouched (pure)", () => {
    const input = { password: "hunter2", nested: [{ token: "t" }] };
    const copy = structuredClone(input);
    redactSensitive(input);
    assert.deepEqual(input, copy);
  });

  it("removes credentials from connection strings in any string", () => {
    const output = redactSensitive({
      url: "postgres://app:S3cret@db.internal:5432/app?sslmode=require",
      cache: "redis://:p4ss@cache:6379/0",
      list: ["mongodb+srv://root:r00t@cluster0/db", "https://example.com/docs"],
      note: "connect with amqp://guest:guest@mq:5672/ please",
    });
    assert.deepEqual(output, {
      url: "postgres://app:[redacted]@db.internal:5432/app?sslmode=require",
      cache: "redis://:[redacted]@cache:6379/0",
      list: ["mongodb+srv://root:[redacted]@cluster0/db", "https://example.com/docs"],
      note: "connect with amqp://guest:[redacted]@mq:5672/ please",
    });
  });

  it("replaces runos tokens wherever they appear", () => {
    assert.deepEqual(redactSensitive({ note: "use runos_pat_abc123XYZ to log in" }), { note: `use ${REDACTED} to log in` });
  });

  it("redacts the value of secret entries, keeping their names", () => {
    const output = redactSensitive({
      secrets: [{ name: "STRIPE_KEY", value: "sk_live_1" }],
      env: [{ name: "PORT", value: "8080" }, { name: "TOKEN_SALT", value: "x", secret: true }],
      tokens: ["a", "b"],
    });
    assert.deepEqual(output, {
      secrets: [{ name: "STRIPE_KEY", value: REDACTED }],
      env: [{ name: "PORT", value: "8080" }, { name: "TOKEN_SALT", value: REDACTED, secret: true }],
      tokens: [REDACTED, REDACTED],
    });
  });

  it("keeps metadata about secrets with its type (timestamps, counts, ids, flags)", () => {
    const input = {
      passwordUpdatedAt: "2025-06-01T00:00:00Z",
      tokenExpiresAt: 1767225600,
      secretsCount: 3,
      apiKeyId: "key_01",
      secretName: "db-creds",
      hasPassword: true,
      password: null,
      token_type: "bearer",
    };
    assert.deepEqual(redactSensitive(input), input);
  });

  it("cuts reference cycles instead of looping", () => {
    const node: Record<string, unknown> = { name: "a" };
    node.self = node;
    assert.deepEqual(redactSensitive(node), { name: "a", self: "[circular]" });
  });
});

describe("isSensitiveKey()", () => {
  it("matches secret names in every spelling and not their metadata", () => {
    for (const key of ["password", "Password", "adminPassword", "DB_PASSWD", "clientSecret", "apiKey", "API-KEY", "credentials", "authorization", "privateKey", "accessKey", "secret_key"]) {
      assert.equal(isSensitiveKey(key), true, key);
    }
    for (const key of ["passwordUpdatedAt", "tokenType", "apiKeyId", "secretName", "name", "keyspace", "publicKey", "tokenizer"]) {
      assert.equal(isSensitiveKey(key), false, key);
    }
  });
});

describe("redactText()", () => {
  it("redacts connection strings, key=value secrets, JSON pairs and bearer tokens in messages", () => {
    assert.equal(redactText("dial postgres://u:pw@h:5432/db failed"), "dial postgres://u:[redacted]@h:5432/db failed");
    assert.equal(redactText("PGPASSWORD=hunter2 psql"), "PGPASSWORD=[redacted] psql");
    assert.equal(redactText('body {"password": "x1", "name": "a"}'), 'body {"password": "[redacted]", "name": "a"}');
    assert.equal(redactText("Authorization: Bearer eyJhbGci.abc"), "Authorization: Bearer [redacted]");
    assert.equal(redactText("nothing to hide here"), "nothing to hide here");
  });
});
