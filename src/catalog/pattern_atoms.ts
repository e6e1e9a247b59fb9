/**
 * A catalog field's `pattern` read as a list of atoms: the regular expressions catalogs write for
 * names and ids (`^[a-z][a-z0-9-]{1,38}$`), an anchored sequence of character classes, escapes,
 * literal characters and groups of alternatives, each with how often it repeats. Anything else
 * (lookarounds, back-references, negated classes, an unanchored pattern) is not read: the caller
 * then has no words for it. pattern_words.ts says the atoms in words.
 */

/** One kind of character a class admits: a named range, another range, or one character. */
export type CharPart =
  | { readonly kind: "lower" | "upper" | "digit" | "nonspace" | "any" }
  | { readonly kind: "range"; readonly from: string; readonly to: string }
  | { readonly kind: "char"; readonly char: string };

/** A regular expression item: a class, a literal character or a group of alternatives. */
export type AtomBody =
  | { readonly kind: "set"; readonly parts: readonly CharPart[] }
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "group"; readonly alternatives: readonly (readonly Atom[])[] };

/** An item with how often it repeats (`max` undefined: no limit). */
export type Atom = AtomBody & { readonly min: number; readonly max: number | undefined };

/**
 * `^…$` as atoms; undefined for anything else (lookarounds, back-references, negated classes …).
 * The readers below throw at the first thing they cannot read; that ends the reading here.
 */
export function parsePattern(pattern: string): Atom[] | undefined {
  if (!pattern.startsWith("^") || !pattern.endsWith("$") || pattern.endsWith("\\$")) return undefined;
  const reader = { text: pattern.slice(1, -1), at: 0 };
  try {
    const alternatives = readAlternatives(reader);
    if (reader.at !== reader.text.length || alternatives.length !== 1) return undefined;
    return alternatives[0];
  } catch {
    return undefined;
  }
}

interface Reader {
  readonly text: string;
  at: number;
}

function readAlternatives(reader: Reader): Atom[][] {
  const alternatives: Atom[][] = [[]];
  while (reader.at < reader.text.length) {
    const char = reader.text[reader.at]!;
    if (char === ")") break;
    if (char === "|") {
      reader.at++;
      alternatives.push([]);
      continue;
    }
    const atom = readAtom(reader);
    alternatives[alternatives.length - 1]!.push(withQuantifier(reader, atom));
  }
  return alternatives;
}

function readAtom(reader: Reader): AtomBody {
  const char = reader.text[reader.at++]!;
  if (char === "[") return { kind: "set", parts: readClass(reader) };
  if (char === "(") {
    if (reader.text.startsWith("?:", reader.at)) reader.at += 2;
    else if (reader.text[reader.at] === "?") throw new Error("lookaround");
    const alternatives = readAlternatives(reader);
    if (reader.text[reader.at++] !== ")") throw new Error("unclosed group");
    return { kind: "group", alternatives };
  }
  if (char === "\\") {
    const escaped = reader.text[reader.at++];
    const part = escapePart(escaped);
    if (part !== undefined) return { kind: "set", parts: part };
    if (escaped === undefined || /[A-Za-z0-9]/.test(escaped)) throw new Error(`escape \\${escaped}`);
    return { kind: "literal", text: escaped };
  }
  if (char === ".") return { kind: "set", parts: [{ kind: "any" }] };
  if ("*+?{}^$]".includes(char)) throw new Error(`unexpected ${char}`);
  return { kind: "literal", text: char };
}

/** The parts of `\d`, `\w`, `\S`, `\s`; undefined for any other escape. */
function escapePart(escaped: string | undefined): CharPart[] | undefined {
  switch (escaped) {
    case "d":
      return [{ kind: "digit" }];
    case "w":
      return [{ kind: "lower" }, { kind: "upper" }, { kind: "digit" }, { kind: "char", char: "_" }];
    case "S":
      return [{ kind: "nonspace" }];
    case "s":
      return [{ kind: "char", char: " " }];
    default:
      return undefined;
  }
}

function readClass(reader: Reader): CharPart[] {
  if (reader.text[reader.at] === "^") throw new Error("negated class");
  const parts: CharPart[] = [];
  while (reader.text[reader.at] !== "]") {
    if (reader.at >= reader.text.length) throw new Error("unclosed class");
    let char = reader.text[reader.at++]!;
    if (char === "\\") {
      const escaped = reader.text[reader.at++];
      const part = escapePart(escaped);
      if (part !== undefined) {
        parts.push(...part);
        continue;
      }
      if (escaped === undefined || /[A-Za-z0-9]/.test(escaped)) throw new Error(`escape \\${escaped}`);
      char = escaped;
    }
    if (reader.text[reader.at] === "-" && reader.text[reader.at + 1] !== "]" && reader.at + 1 < reader.text.length) {
      const to = reader.text[reader.at + 1]!;
      reader.at += 2;
      parts.push(rangePart(char, to));
    } else {
      parts.push({ kind: "char", char });
    }
  }
  reader.at++;
  return parts;
}

function rangePart(from: string, to: string): CharPart {
  if (from === "a" && to === "z") return { kind: "lower" };
  if (from === "A" && to === "Z") return { kind: "upper" };
  if (from === "0" && to === "9") return { kind: "digit" };
  if (from > to) throw new Error("backwards range");
  return { kind: "range", from, to };
}

function withQuantifier(reader: Reader, atom: AtomBody): Atom {
  const rest = reader.text.slice(reader.at);
  let min = 1;
  let max: number | undefined = 1;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(rest);
  if (braces !== null) {
    min = Number(braces[1]);
    max = braces[2] === undefined ? min : braces[3] === "" ? undefined : Number(braces[3]);
    reader.at += braces[0].length;
  } else if (rest[0] === "?" || rest[0] === "*" || rest[0] === "+") {
    [min, max] = rest[0] === "?" ? [0, 1] : rest[0] === "*" ? [0, undefined] : [1, undefined];
    reader.at++;
  }
  const next = reader.text[reader.at];
  if (next !== undefined && "?*+{".includes(next)) throw new Error("stacked quantifier");
  return { ...atom, min, max };
}
