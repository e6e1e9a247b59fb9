/**
 * Where a JSON text stops being JSON: the line and column of its first syntax error, in words a person
 * can act on. JSON.parse's own message differs per runtime (V8 gives an offset, JavaScriptCore gives
 * none), so the position is found by our own scan of the JSON grammar, the same on Deno and Bun.
 */

/** The first syntax error of a JSON text. */
export interface JsonSyntaxError {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units, as editors mostly count). */
  readonly column: number;
  /** What was found there, e.g. `unexpected "}"`, `unterminated string`. */
  readonly message: string;
}

/** The line and column of `offset` in `text`, both 1-based. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax error of `text` as JSON, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    scanner.value(0);
    scanner.skipSpace();
    if (scanner.pos < text.length) scanner.fail(`unexpected ${scanner.describeHere()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxStop)) throw error;
    return { ...lineAndColumn(text, error.offset), message: error.message };
  }
}

/** `line 3, column 5: unexpected "}"`, for messages. */
export function describeJsonSyntaxError(error: JsonSyntaxError): string {
  return `line ${error.line}, column ${error.column}: ${error.message}`;
}

class SyntaxStop extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

const MAX_DEPTH = 512;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string, at: number = this.pos): never {
    throw new SyntaxStop(at, message);
  }

  describeHere(): string {
    if (this.pos >= this.text.length) return "end of file";
    return `"${this.text[this.pos]}"`;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && " \t\n\r\uFEFF".includes(this.text[this.pos]!)) this.pos++;
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail("nested too deeply");
    const char = this.text[this.pos];
    if (char === "{") return this.object(depth);
    if (char === "[") return this.array(depth);
    if (char === '"') return this.string();
    if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    if (char === undefined) this.fail("unexpected end of file: a value is missing");
    if (char === "/") this.fail('unexpected "/": comments are not allowed in JSON');
    if (char === "'") this.fail("unexpected \"'\": JSON strings take double quotes");
    this.fail(`unexpected ${this.describeHere()}: expected a value`);
  }

  object(depth: number): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') {
        if (this.text[this.pos] === "}") this.fail('unexpected "}": a trailing comma is not allowed in JSON');
        this.fail(`unexpected ${this.describeHere()}: expected a key in double quotes`);
      }
      this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail(`unexpected ${this.describeHere()}: expected ":" after the key`);
      this.pos++;
      this.skipSpace();
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ",") {
        this.pos++;
        continue;
      }
      if (next === "}") {
        this.pos++;
        return;
      }
      this.fail(`unexpected ${this.describeHere()}: expected "," or "}"`);
    }
  }

  array(depth: number): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "]") this.fail('unexpected "]": a trailing comma is not allowed in JSON');
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ",") {
        this.pos++;
        continue;
      }
      if (next === "]") {
        this.pos++;
        return;
      }
      this.fail(`unexpected ${this.describeHere()}: expected "," or "]"`);
    }
  }

  string(): void {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const char = this.text[this.pos]!;
      if (char === '"') {
        this.pos++;
        return;
      }
      if (char === "\\") {
        const escape = this.text[this.pos + 1];
        if (escape === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.fail("invalid \\u escape in a string");
          this.pos += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) this.fail("invalid escape in a string");
        this.pos += 2;
        continue;
      }
      if (char === "\n" || char.charCodeAt(0) < 0x20) this.fail("unterminated string (a line break or control character inside it)", start);
      this.pos++;
    }
    this.fail("unterminated string", start);
  }

  number(): void {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (match === null) this.fail("invalid number");
    this.pos += match[0].length;
  }
}
