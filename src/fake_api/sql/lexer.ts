/**
 * Tokens of the small SQL dialect the fake PostgreSQL understands, and a cursor over them. Errors
 * read like PostgreSQL's (`syntax error at or near "x"`), so a model sees what it would see for real.
 */

/** One token; `upper` is the upper-cased text of words, for keyword checks. */
export interface Token {
  readonly kind: "word" | "ident" | "string" | "number" | "op" | "eof";
  readonly text: string;
  readonly upper: string;
  /** Offset in the statement text, to cut out a view's SELECT. */
  readonly start: number;
}

/** A SQL error answered as 400 with PostgreSQL's wording. */
export class SqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SqlError";
  }
}

const TWO_CHAR_OPS = ["<>", "!=", "<=", ">=", "::", "||"];

/** Split SQL text into tokens (comments and whitespace dropped); ends with an `eof` token. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: Token["kind"], text: string, start: number) => tokens.push({ kind, text, upper: kind === "word" ? text.toUpperCase() : text, start });
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) i++;
    else if (sql.startsWith("--", i)) i = sql.indexOf("\n", i) === -1 ? sql.length : sql.indexOf("\n", i);
    else if (sql.startsWith("/*", i)) i = sql.indexOf("*/", i) === -1 ? sql.length : sql.indexOf("*/", i) + 2;
    else if (ch === "'" || ch === '"') {
      let j = i + 1;
      let text = "";
      for (;;) {
        if (j >= sql.length) throw new SqlError(ch === "'" ? "unterminated quoted string" : "unterminated quoted identifier");
        if (sql[j] === ch && sql[j + 1] === ch) {
          text += ch;
          j += 2;
        } else if (sql[j] === ch) break;
        else text += sql[j++];
      }
      push(ch === "'" ? "string" : "ident", text, i);
      i = j + 1;
    } else if (/[0-9]/.test(ch)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(sql.slice(i))!;
      push("number", match[0], i);
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))!;
      push("word", match[0], i);
      i += match[0].length;
    } else if (TWO_CHAR_OPS.includes(sql.slice(i, i + 2))) {
      push("op", sql.slice(i, i + 2), i);
      i += 2;
    } else if ("=<>(),.*;+-/%".includes(ch)) {
      push("op", ch, i);
      i++;
    } else throw new SqlError(`syntax error at or near "${ch}"`);
  }
  tokens.push({ kind: "eof", text: "", upper: "", start: sql.length });
  return tokens;
}

/** A cursor over tokens with keyword helpers. */
export class Cursor {
  private index = 0;
  constructor(readonly tokens: readonly Token[]) {}
  /** The current token. */
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }
  /** Consume and return the current token. */
  next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }
  /** Whether the current token is this keyword or operator. */
  is(text: string): boolean {
    const token = this.peek();
    return (token.kind === "word" && token.upper === text) || (token.kind === "op" && token.text === text);
  }
  /** Consume the keyword or operator if present. */
  accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.next();
    return true;
  }
  /** Consume the keyword or operator, or fail with a syntax error. */
  expect(text: string): void {
    if (!this.accept(text)) throw this.syntaxError();
  }
  /** An identifier (bare word or quoted), lower-cased unless quoted. */
  name(): string {
    const token = this.next();
    if (token.kind === "word") return token.text.toLowerCase();
    if (token.kind === "ident") return token.text;
    throw syntaxErrorAt(token);
  }
  /** A syntax error at the current token. */
  syntaxError(): SqlError {
    return syntaxErrorAt(this.peek());
  }
  /** Whether every token was consumed. */
  atEnd(): boolean {
    return this.peek().kind === "eof";
  }
}

function syntaxErrorAt(token: Token): SqlError {
  return new SqlError(token.kind === "eof" ? "syntax error at end of input" : `syntax error at or near "${token.text}"`);
}
