import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isSensitiveKey, REDACTED, redactSensitive, redactText } from "../../src/redact/redact.ts";

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

describe("redactSensitive(): secret context and name/value entries", () => {
  it("redacts every string and number below a secret key, at any depth", () => {
    assert.deepEqual(redactSensitive({ secrets: { STRIPE: "sk_live_x" } }), { secrets: { STRIPE: REDACTED } });
    assert.deepEqual(redactSensitive({ credentials: { db: { pw: "x", pin: 1234 } } }), { credentials: { db: { pw: REDACTED, pin: REDACTED } } });
    assert.deepEqual(
      redactSensitive({ tokens: [{ scopes: ["read"], raw: { v: "t" } }, ["nested", 7]] }),
      { tokens: [{ scopes: ["read"], raw: { v: REDACTED } }, [REDACTED, REDACTED]] },
    );
  });

  it("keeps metadata below a secret key readable (names, ids, dates, types)", () => {
    const input = {
      secrets: [
        { name: "STRIPE_KEY", value: "sk_live_1", updatedAt: "2025-01-01T00:00:00Z", id: "s1", type: "env" },
        { key: "GITHUB", value: "ghp_x", createdAt: 1767225600 },
      ],
      credentials: { username: "app", host: "db", port: 5432, password: "pw", db: { pw: "x" } },
    };
    assert.deepEqual(redactSensitive(input), {
      secrets: [
        { name: "STRIPE_KEY", value: REDACTED, updatedAt: "2025-01-01T00:00:00Z", id: "s1", type: "env" },
        { key: "GITHUB", value: REDACTED, createdAt: 1767225600 },
      ],
      credentials: { username: "app", host: "db", port: 5432, password: REDACTED, db: { pw: REDACTED } },
    });
  });

  it("still redacts objects under metadata keys below a secret key, and URLs in their strings", () => {
    assert.deepEqual(
      redactSensitive({ secrets: { name: { pw: "x" }, url: "postgres://u:pw@h/db" } }),
      { secrets: { name: { pw: REDACTED }, url: "postgres://u:[redacted]@h/db" } },
    );
  });

  it("redacts the value of a name/value (or key/value) pair whose name is a secret", () => {
    const output = redactSensitive({
      envVars: [
        { name: "DB_PASSWORD", value: "hunter2" },
        { name: "PORT", value: "8080" },
        { key: "api_key", value: { nested: "k" } },
        { Key: "PGPASSWORD", Value: "pg" },
        { name: "passwordUpdatedAt", value: "2025-01-01" },
      ],
      headers: [{ name: "Authorization", value: "token ghp_abc" }],
    });
    assert.deepEqual(output, {
      envVars: [
        { name: "DB_PASSWORD", value: REDACTED },
        { name: "PORT", value: "8080" },
        { key: "api_key", value: { nested: REDACTED } },
        { Key: "PGPASSWORD", Value: REDACTED },
        { name: "passwordUpdatedAt", value: "2025-01-01" },
      ],
      headers: [{ name: "Authorization", value: REDACTED }],
    });
  });

  it("stays pure and cycle-safe in secret context", () => {
    const inner: Record<string, unknown> = { pw: "x" };
    inner.loop = inner;
    const input = { credentials: inner, list: [{ name: "DB_PASSWORD", value: "v" }] };
    const output = redactSensitive(input) as { credentials: Record<string, unknown> };
    assert.deepEqual(output.credentials, { pw: REDACTED, loop: "[circular]" });
    assert.equal(inner.pw, "x");
    assert.equal(inner.loop, inner);
    assert.equal(input.list[0]!.value, "v");
  });
});

describe("isSensitiveKey(): concatenated spellings", () => {
  it("matches a word ending in a secret word, still not metadata", () => {
    for (const key of ["PGPASSWORD", "csrftoken", "MINIO_SECRET_KEY", "pwd", "dsn", "passphrase", "x-api-key"]) {
      assert.equal(isSensitiveKey(key), true, key);
    }
    for (const key of ["PGPASSWORD_FILE", "tokenizer", "keyspace", "csrftokenName"]) {
      assert.equal(isSensitiveKey(key), false, key);
    }
  });
});

describe("redactText(): formats", () => {
  const cases: Array<[string, string]> = [
    ["password: x", `password: ${REDACTED}`],
    ['password="x y" next', `password="${REDACTED}" next`],
    ["password='x y' next", `password='${REDACTED}' next`],
    ["pwd=x", `pwd=${REDACTED}`],
    ["passphrase=x", `passphrase=${REDACTED}`],
    ["secretKey=x", `secretKey=${REDACTED}`],
    ["MINIO_SECRET_KEY=x", `MINIO_SECRET_KEY=${REDACTED}`],
    ["DB_PASSWORD=x", `DB_PASSWORD=${REDACTED}`],
    ["dsn=x", `dsn=${REDACTED}`],
    ["credentials=x", `credentials=${REDACTED}`],
    ["api_key: x", `api_key: ${REDACTED}`],
    ["x-api-key: KEY", `x-api-key: ${REDACTED}`],
    ["Authorization: token ghp_abc", `Authorization: token ${REDACTED}`],
    ["Authorization: Bearer x", `Authorization: Bearer ${REDACTED}`],
    ["authorization=Basic abc", `authorization=Basic ${REDACTED}`],
    ["Authorization: Custom abc def\nnext line", `Authorization: ${REDACTED}\nnext line`],
    ["password := x", `password := ${REDACTED}`],
    ["jdbc:postgresql://h/db?user=u&password=x&ssl=true", `jdbc:postgresql://h/db?user=u&password=${REDACTED}&ssl=true`],
    ["Server=h;User Id=sa;Password=x;", `Server=h;User Id=sa;Password=${REDACTED};`],
    ["spring.datasource.password=x", `spring.datasource.password=${REDACTED}`],
    ["<password>x</password>", `<password>${REDACTED}</password>`],
  ];
  for (const [input, expected] of cases) {
    it(`redacts ${JSON.stringify(input)}`, () => assert.equal(redactText(input), expected));
  }

  it("redacts JSON pairs for every secret key spelling, strings and numbers", () => {
    for (const key of ["secretKey", "pwd", "dsn", "passphrase", "authorization", "credentials", "PGPASSWORD", "x-api-key"]) {
      assert.equal(redactText(`{"${key}":"x","a":1}`), `{"${key}":"${REDACTED}","a":1}`, key);
      assert.equal(redactText(`{"${key}": 12345}`), `{"${key}": "${REDACTED}"}`, key);
    }
    assert.equal(redactText('{"password": null, "token": true}'), '{"password": null, "token": true}');
    assert.equal(redactText(`{'password': 'x'}`), `{'password': '${REDACTED}'}`);
  });

  it("redacts JSON objects and arrays under a secret key, keeping their metadata", () => {
    assert.equal(
      redactText('error {"credentials":{"db":{"pw":"x"}},"b":2}'),
      `error {"credentials":{"db":{"pw":"${REDACTED}"}},"b":2}`,
    );
    assert.equal(
      redactText('{"secrets": [{"name":"A","value":"v"}], "x": 1}'),
      `{"secrets": [{"name":"A","value":"${REDACTED}"}], "x": 1}`,
    );
    assert.equal(redactText("secrets={a=b, c=d} ok"), `secrets=${REDACTED} ok`);
    const escaped = JSON.stringify({ message: JSON.stringify({ secrets: { A: "v1" }, x: 1 }) });
    const output = redactText(escaped);
    assert.ok(!output.includes("v1"), output);
    assert.deepEqual(JSON.parse(JSON.parse(output).message), { secrets: { A: REDACTED }, x: 1 });
  });

  it("reads an apostrophe inside a single-quoted value as part of it", () => {
    assert.equal(redactText("token: 'it's fine' ok"), `token: '${REDACTED}' ok`);
  });

  it("redacts escaped JSON inside a message", () => {
    assert.equal(redactText('body: {\\"password\\":\\"x\\"}'), `body: {\\"password\\":\\"${REDACTED}\\"}`);
    assert.equal(redactText('{\\"token\\":42}'), `{\\"token\\":\\"${REDACTED}\\"}`);
    const nested = JSON.stringify({ conn: 'host=h password="PW"' });
    const once = redactText(nested);
    assert.ok(!once.includes("PW"), once);
    assert.deepEqual(JSON.parse(once), { conn: `host=h password="${REDACTED}"` });
    const twice = redactText(JSON.stringify({ outer: nested }));
    assert.ok(!twice.includes("PW"), twice);
    assert.deepEqual(JSON.parse(JSON.parse(twice).outer), { conn: `host=h password="${REDACTED}"` });
    const plain = redactText(JSON.stringify({ conn: "host=h password=PW user=u" }));
    assert.deepEqual(JSON.parse(plain), { conn: `host=h password=${REDACTED} user=u` });
  });

  it("redacts URL passwords holding /, ?, # or @", () => {
    assert.equal(redactText("dial postgres://u:PW/LEAK7@h/db failed"), `dial postgres://u:${REDACTED}@h/db failed`);
    assert.equal(redactText("redis://default:a?b#c@h:6379"), `redis://default:${REDACTED}@h:6379`);
    assert.equal(redactText("mongodb+srv://u:p@ss@h/x"), `mongodb+srv://u:${REDACTED}@h/x`);
    assert.equal(redactText("https://example.com:8443/docs and https://h/x?y=1"), "https://example.com:8443/docs and https://h/x?y=1");
    for (const input of ["a postgres://u:PW/LEAK7@h/db b", "redis://default:a?b#c@h:6379", "mongodb+srv://u:p@ss@h/x"]) {
      const output = redactText(input);
      for (const fragment of ["PW", "LEAK7", "a?b", "b#c", "p@ss"]) assert.ok(!output.includes(fragment), output);
      assert.equal(redactText(output), output, "idempotent");
    }
  });

  it("replaces PEM private key blocks whole, terminated or not", () => {
    for (const kind of ["", "RSA ", "EC ", "OPENSSH ", "ENCRYPTED "]) {
      const pem = `-----BEGIN ${kind}PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END ${kind}PRIVATE KEY-----`;
      assert.equal(redactText(`key:\n${pem}\nafter`), `key:\n${REDACTED}\nafter`, kind);
      assert.equal(redactText(JSON.stringify({ k: pem })), JSON.stringify({ k: REDACTED }), kind);
    }
    assert.equal(redactText("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq truncated"), REDACTED);
    const cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    assert.equal(redactText(cert), cert);
  });

  it("redacts well-known token formats anywhere", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    const output = redactText(`got ${jwt} and ghp_0123456789abcdefghijABCDEFGHIJ and sk_live_abcdef123456`);
    assert.equal(output, `got ${REDACTED} and ${REDACTED} and ${REDACTED}`);
  });

  it("keeps metadata spellings readable", () => {
    for (const text of ["passwordUpdatedAt=2025-01-01", "tokenType=bearer", '{"tokenExpiresAt":"2025-01-01T00:00:00Z"}', "secretName=foo", "token::parse failed", "see https://docs.example.com/tokens"]) {
      assert.equal(redactText(text), text);
    }
  });

  it("is idempotent", () => {
    const text = 'password=x {"token":"t"} postgres://u:p@h Authorization: Bearer b <secret>s</secret>';
    const once = redactText(text);
    assert.equal(redactText(once), once);
  });

  // A quadratic pattern would take hours on these; a busy machine can take more than the runner's default 5 s for them all.
  it("stays linear on adversarial input (returns on 1 MB strings)", { timeout: 60_000 }, () => {
    const size = 1 << 20;
    for (const text of [
      "a=".repeat(size / 2),
      "a".repeat(size),
      "password=".repeat(size / 9),
      'password="'.repeat(size / 10),
      '"password":'.repeat(size / 11),
      "a://b:".repeat(size / 6),
      "a.".repeat(size / 2),
      "{[".repeat(size / 2),
      "-----BEGIN PRIVATE KEY-----".repeat(size / 27),
      "<a>".repeat(size / 3),
      "\\\"".repeat(size / 2),
      "token: \\".repeat(size / 8),
      "token: '".repeat(size / 8),
      'secrets:{\\"'.repeat(size / 11),
      'secrets:[\\\\\\"'.repeat(size / 14),
      "<td>password</td>".repeat(size / 17),
      "password is ".repeat(size / 12),
      "redis-cli -a ".repeat(size / 13),
      "AUTH ".repeat(size / 5),
      "x://a@".repeat(size / 6),
      "?sig=".repeat(size / 5),
      '{"a":'.repeat(size / 5),
      '["'.repeat(size / 2),
      "<a name=password ".repeat(size / 17),
      "p\u0430ssword ".repeat(size / 10),
    ]) {
      assert.equal(typeof redactText(text), "string");
    }
  });
});
