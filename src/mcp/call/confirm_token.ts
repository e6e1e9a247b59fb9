/**
 * The token a destructive call must carry: issued with the call's preview, bound to the server's tier,
 * the tool and its arguments, valid for {@link TOKEN_TTL_MS}. A call without a valid one sends nothing.
 * The token holds no binding of its own: its HMAC covers tier, tool and arguments, recomputed from the
 * call that carries it, so another tool, other arguments or another tier fail just as a forgery does.
 * Over stdio the key is this process's own and a token redeems once; over stateless HTTP the key
 * derives from the server's bearer token, so any instance sharing it accepts a token another issued
 * (verifiable, not stored: there it may be redeemed again until it expires). WebCrypto only: nothing
 * loads before a destructive call asks for it.
 */

/** How long a preview's token stays valid. */
export const TOKEN_TTL_MS = 5 * 60_000;

/** What a token is bound to. */
export interface TokenBinding {
  readonly tier: string;
  readonly tool: string;
  /** The call's arguments in canonical form ({@link canonicalArguments}). */
  readonly arguments: string;
}

/** Why a token was refused, or "ok". */
export type Redemption = "ok" | "malformed" | "mismatch" | "expired" | "used";

/** Options of {@link ConfirmTokens}. */
export interface ConfirmTokenOptions {
  /** Derive the key from this secret (HTTP: the bearer token); default: a random key of this process. */
  readonly secret?: string;
  /** A token redeems once (default true; stateless HTTP instances cannot know, so they pass false). */
  readonly singleUse?: boolean;
  readonly now?: () => number;
}

const VERSION = "rc1";
const encoder = new TextEncoder();

/** Issues and redeems the confirmation tokens of one server. */
export class ConfirmTokens {
  readonly #key: Promise<CryptoKey>;
  readonly #singleUse: boolean;
  readonly #now: () => number;
  /** Redeemed nonces, until their tokens expire. */
  readonly #used = new Map<string, number>();

  constructor(options: ConfirmTokenOptions = {}) {
    this.#singleUse = options.singleUse ?? true;
    this.#now = options.now ?? Date.now;
    this.#key = keyFor(options.secret);
  }

  /** Whether a token, once redeemed, is refused afterwards. */
  get singleUse(): boolean {
    return this.#singleUse;
  }

  /** A fresh token for `binding`, and when it expires. */
  async issue(binding: TokenBinding): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = this.#now() + TOKEN_TTL_MS;
    const nonce = base64url(crypto.getRandomValues(new Uint8Array(12)));
    const head = `${VERSION}.${expiresAt.toString(36)}.${nonce}`;
    return { token: `${head}.${await this.#mac(head, binding)}`, expiresAt };
  }

  /** Check `token` against the call that carries it; a good one is spent when single-use. */
  async redeem(token: string, binding: TokenBinding): Promise<Redemption> {
    const parts = token.split(".");
    if (parts.length !== 4 || parts[0] !== VERSION || !/^[0-9a-z]{1,12}$/.test(parts[1]!) || !/^[\w-]{16}$/.test(parts[2]!)) return "malformed";
    const head = parts.slice(0, 3).join(".");
    if (!equalText(await this.#mac(head, binding), parts[3]!)) return "mismatch";
    const expiresAt = Number.parseInt(parts[1]!, 36);
    const now = this.#now();
    if (expiresAt <= now) return "expired";
    if (!this.#singleUse) return "ok";
    for (const [nonce, until] of this.#used) if (until <= now) this.#used.delete(nonce);
    if (this.#used.has(parts[2]!)) return "used";
    this.#used.set(parts[2]!, expiresAt);
    return "ok";
  }

  async #mac(head: string, binding: TokenBinding): Promise<string> {
    const signed = [head, binding.tier, binding.tool, binding.arguments].join("\n");
    return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await this.#key, encoder.encode(signed))));
  }
}

/** The arguments of a call as one string: object keys sorted at every depth, so order does not matter. */
export function canonicalArguments(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item) ?? "null";
}

async function keyFor(secret: string | undefined): Promise<CryptoKey> {
  const raw = secret === undefined
    ? crypto.getRandomValues(new Uint8Array(32))
    : new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(encoder.encode("runos confirmation tokens v1")), encoder.encode(secret)));
  return await hmacKey(raw);
}

function hmacKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Compare two MACs in time that does not depend on where they differ. */
function equalText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}
