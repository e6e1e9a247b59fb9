/**
 * Standard input as lines: the one place that says what a line of JSON-RPC over stdio is, for both of
 * its readers, the handshake answered before the SDK loads (handshake.ts) and the screen in front of
 * the SDK (screen.ts), so that a line reads the same before the handover as after it.
 *
 * A line ends at a newline byte; a carriage return before it (CRLF) and a byte-order mark at its
 * start are not part of its content. Lines are cut on bytes and decoded whole, so a character split
 * across two reads stays intact. A line over the cap is reported as soon as it passes the cap, with
 * its first bytes (where its id is), and the rest of it is dropped as it arrives, so that it never
 * sits in memory. A last line without its newline is a line once the input has ended.
 *
 * No package is imported here: the handshake's path loads none (tests/static/serve_path_test.ts).
 */
import { Buffer } from "node:buffer";

/** The largest line accepted on stdin, in bytes as sent (without its newline); a longer one is refused. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** How many of a too-long line's first bytes are kept, to find the id to answer it under. */
export const LEADING_BYTES = 64 * 1024;

/** One line cut from the input, or the start of one over the cap. */
export type Line =
  | {
    readonly kind: "line";
    /** Its content: without the newline, a carriage return before it, and a leading byte-order mark. */
    readonly bytes: Buffer;
    /** The line as sent, without its newline: what a reader that splits the input again must be given. */
    readonly sent: Buffer;
  }
  | {
    readonly kind: "oversized";
    /** The line's first bytes as sent, at most {@link LEADING_BYTES}. */
    readonly start: Buffer;
    /** The cap it passed. */
    readonly limit: number;
  };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const NOTHING = Buffer.alloc(0);

/**
 * Cuts bytes into lines as they arrive: {@link write} what was read, then take the complete lines
 * with {@link next} until it says there are none yet.
 */
export class LineSplitter {
  readonly #limit: number;
  /** Chunks written and not cut yet; the first from #offset. */
  readonly #unread: Buffer[] = [];
  #offset = 0;
  /** The start of the line being read, from chunks already cut. */
  #held: Buffer[] = [];
  #heldBytes = 0;
  /** The line being read passed the cap: its bytes are dropped up to its newline. */
  #dropping = false;
  #ended = false;

  /** `limit`: the longest line taken, in bytes as sent; a longer one is reported as oversized. */
  constructor(limit: number = MAX_MESSAGE_BYTES) {
    this.#limit = limit;
  }

  /** Bytes just read. They are kept (not copied) until cut into lines. */
  write(chunk: Buffer): void {
    if (chunk.length > 0) this.#unread.push(chunk);
  }

  /** The input ended: a last line without its newline is now complete. */
  end(): void {
    this.#ended = true;
  }

  /**
   * How many bytes of the line being read are held, once {@link next} has said there is no complete
   * line yet (none while a line over the cap is dropped).
   */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** The next complete line, or an oversized one as soon as it passes the cap; undefined until more is written. */
  next(): Line | undefined {
    while (this.#unread.length > 0) {
      const chunk = this.#unread[0]!;
      const from = this.#offset;
      const newline = chunk.indexOf(NEWLINE, from);
      if (newline === -1 || newline === chunk.length - 1) {
        this.#unread.shift();
        this.#offset = 0;
      } else {
        this.#offset = newline + 1;
      }
      if (this.#dropping) {
        this.#dropping = newline === -1;
        continue;
      }
      const piece = chunk.subarray(from, newline === -1 ? chunk.length : newline);
      if (this.#heldBytes + piece.length > this.#limit) {
        const start = leadingBytes([...this.#held, piece]);
        this.#held = [];
        this.#heldBytes = 0;
        this.#dropping = newline === -1;
        return { kind: "oversized", start, limit: this.#limit };
      }
      if (newline !== -1) return this.#complete(piece);
      if (piece.length > 0) {
        this.#held.push(piece);
        this.#heldBytes += piece.length;
      }
    }
    return this.#ended && this.#heldBytes > 0 ? this.#complete(NOTHING) : undefined;
  }

  /**
   * Stop cutting, to hand the input to a reader that splits it again: the bytes written and not
   * taken as lines, exactly as sent. Pass what is read from here on through {@link passOn}.
   */
  handOff(): Buffer[] {
    const unread = this.#unread.splice(0).map((chunk, index) => (index === 0 ? chunk.subarray(this.#offset) : chunk));
    const rest = [...this.#held, ...unread.map((chunk) => this.passOn(chunk))].filter((bytes) => bytes.length > 0);
    this.#offset = 0;
    this.#held = [];
    this.#heldBytes = 0;
    return rest;
  }

  /** Bytes read after {@link handOff}, minus what is left of a line over the cap (already answered). */
  passOn(chunk: Buffer): Buffer {
    if (!this.#dropping) return chunk;
    const newline = chunk.indexOf(NEWLINE);
    if (newline === -1) return NOTHING;
    this.#dropping = false;
    return chunk.subarray(newline + 1);
  }

  #complete(last: Buffer): Line {
    const sent = this.#held.length === 0 ? last : Buffer.concat([...this.#held, last], this.#heldBytes + last.length);
    this.#held = [];
    this.#heldBytes = 0;
    return { kind: "line", bytes: contentOf(sent), sent };
  }
}

/** A line as sent, without the carriage return before its newline and without a leading byte-order mark. */
function contentOf(sent: Buffer): Buffer {
  const end = sent.length > 0 && sent[sent.length - 1] === CARRIAGE_RETURN ? sent.length - 1 : sent.length;
  const start = end >= 3 && sent[0] === 0xef && sent[1] === 0xbb && sent[2] === 0xbf ? 3 : 0; // the mark is EF BB BF
  return start === 0 && end === sent.length ? sent : sent.subarray(start, end);
}

/** A copy of the first {@link LEADING_BYTES} of `parts`. */
function leadingBytes(parts: readonly Buffer[]): Buffer {
  const taken: Buffer[] = [];
  let bytes = 0;
  for (const part of parts) {
    if (bytes >= LEADING_BYTES) break;
    const take = part.subarray(0, LEADING_BYTES - bytes);
    taken.push(take);
    bytes += take.length;
  }
  return Buffer.concat(taken, bytes);
}

/** Reads a line's content strictly: a byte-order mark left in it (a second one) stays, as JSON.parse refuses it. */
const DECODER = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The text of a line's content, or undefined when it is not UTF-8. */
export function lineText(bytes: Uint8Array): string | undefined {
  try {
    return DECODER.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A line that holds no message: both readers skip it unanswered. */
export function isBlank(text: string): boolean {
  return text.trim() === "";
}
