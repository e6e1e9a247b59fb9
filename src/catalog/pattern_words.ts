/**
 * A catalog field's `pattern` said in words, for help and error messages: people read "2–39 lower-case
 * letters, digits and hyphens, starting with a lower-case letter", not `^[a-z][a-z0-9-]{1,38}$`.
 * The shapes catalogs use are read exactly (character classes with lengths, a fixed start such as
 * `https://`, a short sequence such as "one or more lower-case letters, a hyphen, then a digit"); a
 * longer pattern is shown by an example that matches it, the description's own
 * (`e.g. 2026-01-31T00:00:00Z`) when it has one. A pattern this cannot read gets no words.
 */
import { type Atom, type CharPart, parsePattern } from "./pattern_atoms.ts";

/** The words for `pattern`, or undefined when it cannot be said. `description` may hold an example. */
export function patternInWords(pattern: string, description?: string): string | undefined {
  const rule = patternRuleInWords(pattern);
  if (rule !== undefined) return rule;
  const example = patternExample(pattern, description);
  return example === undefined ? undefined : `a value like ${example.value}`;
}

/** Only the words of the shapes read exactly: classes with lengths, a fixed start. */
export function patternRuleInWords(pattern: string): string | undefined {
  const atoms = parsePattern(pattern);
  return atoms === undefined ? undefined : charactersInWords(atoms) ?? prefixInWords(atoms) ?? sequenceInWords(atoms);
}

/** A value that matches `pattern`: the description's own example when it gives one that does, else one made from the pattern. */
export function patternExample(pattern: string, description?: string): { readonly value: string; readonly fromDescription: boolean } | undefined {
  const given = exampleFrom(description, pattern);
  if (given !== undefined) return { value: given, fromDescription: true };
  const atoms = parsePattern(pattern);
  const made = atoms === undefined ? undefined : exampleOf(atoms);
  return made !== undefined && matches(pattern, made) ? { value: made, fromDescription: false } : undefined;
}

/** The parts in the order words list them, one of each; `\S` or `.` stand for every other. */
function normalise(parts: readonly CharPart[]): CharPart[] {
  const broad = parts.find((part) => part.kind === "any") ?? parts.find((part) => part.kind === "nonspace");
  if (broad !== undefined) return [broad];
  const order = ["lower", "upper", "range", "digit", "char"];
  const seen = new Set<string>();
  const unique = parts.filter((part) => {
    const key = partKey(part);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.map((part, index) => ({ part, index })).sort((a, b) => order.indexOf(a.part.kind) - order.indexOf(b.part.kind) || a.index - b.index).map(({ part }) => part);
}

function partKey(part: CharPart): string {
  return part.kind === "range" ? `range:${part.from}-${part.to}` : part.kind === "char" ? `char:${part.char}` : part.kind;
}

function sameParts(a: readonly CharPart[], b: readonly CharPart[]): boolean {
  const keys = (parts: readonly CharPart[]) => normalise(parts).map(partKey).join(",");
  return keys(a) === keys(b);
}

const CHAR_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  "-": ["hyphens", "a hyphen"],
  "_": ["underscores", "an underscore"],
  ".": ["dots", "a dot"],
  " ": ["spaces", "a space"],
  "/": ["slashes", "a slash"],
  ":": ["colons", "a colon"],
  "+": ["plus signs", "a plus sign"],
  "@": ["@ signs", "an @ sign"],
};

/** The words for one part: plural ("lower-case letters") or singular ("a lower-case letter"). */
function partWords(part: CharPart, plural: boolean): string {
  switch (part.kind) {
    case "lower":
      return plural ? "lower-case letters" : "a lower-case letter";
    case "upper":
      return plural ? "upper-case letters" : "an upper-case letter";
    case "digit":
      return plural ? "digits" : "a digit";
    case "nonspace":
      return plural ? "characters other than spaces" : "a character other than a space";
    case "any":
      return plural ? "characters" : "a character";
    case "range": {
      const noun = /[0-9]/.test(part.from) ? "digit" : "letter";
      return `${plural ? `${noun}s` : `a ${noun}`} ${part.from}–${part.to}`;
    }
    case "char": {
      const named = CHAR_NAMES[part.char];
      if (named !== undefined) return plural ? named[0] : named[1];
      return plural ? `"${part.char}" characters` : `a "${part.char}"`;
    }
  }
}

/** "lower-case letters, digits and hyphens" (plural), "a lower-case letter or a digit" (singular). */
function partsWords(parts: readonly CharPart[], plural: boolean): string {
  const list = normalise(parts);
  const keys = list.map(partKey).sort().join(",");
  if (keys === "digit,range:a-f" || keys === "digit,range:A-F") {
    const letters = keys.endsWith("a-f") ? "a–f" : "A–F";
    return plural ? `hexadecimal digits (0–9, ${letters})` : `a hexadecimal digit (0–9, ${letters})`;
  }
  const both = list.some((part) => part.kind === "lower") && list.some((part) => part.kind === "upper");
  const words = list
    .filter((part) => !(both && part.kind === "upper"))
    .map((part) => (both && part.kind === "lower" ? (plural ? "letters" : "a letter") : partWords(part, plural)));
  return joinWords(words, plural ? "and" : "or");
}

function joinWords(words: readonly string[], conjunction: string): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} ${conjunction} ${words[words.length - 1]}`;
}

/** "3–16", "7", "at least 2", "one or more", "any number of". */
function countWords(min: number, max: number | undefined): string {
  if (max === undefined) return min === 0 ? "any number of" : min === 1 ? "one or more" : `at least ${min}`;
  return min === max ? `${min}` : `${min}–${max}`;
}

/**
 * Classes only: `^[a-z0-9]{3,16}$` → "3–16 lower-case letters and digits"; a single first or last
 * character of a narrower class adds "starting with …" / "ending with …".
 */
function charactersInWords(atoms: readonly Atom[]): string | undefined {
  if (atoms.length === 0 || atoms.length > 3 || !atoms.every((atom) => atom.kind === "set")) return undefined;
  const sets = atoms as readonly (Atom & { kind: "set" })[];
  const all = sets.flatMap((atom) => atom.parts);
  const min = sets.reduce((sum, atom) => sum + atom.min, 0);
  const max = sets.some((atom) => atom.max === undefined) ? undefined : sets.reduce((sum, atom) => sum + atom.max!, 0);
  const single = (atom: Atom | undefined) => atom !== undefined && atom.min === 1 && atom.max === 1;
  let first: (Atom & { kind: "set" }) | undefined;
  let last: (Atom & { kind: "set" }) | undefined;
  if (sets.length === 3) {
    if (!single(sets[0]) || !single(sets[2])) return undefined;
    [first, last] = [sets[0], sets[2]];
  } else if (sets.length === 2) {
    if (single(sets[0])) first = sets[0];
    else if (single(sets[1])) last = sets[1];
    else return undefined;
  }
  if (min === 1 && max === 1) return partsWords(all, false);
  const edges: string[] = [];
  const narrower = (atom: (Atom & { kind: "set" }) | undefined) => atom !== undefined && !sameParts(atom.parts, all);
  if (narrower(first) && narrower(last) && sameParts(first!.parts, last!.parts)) {
    edges.push(`starting and ending with ${partsWords(first!.parts, false)}`);
  } else {
    if (narrower(first)) edges.push(`starting with ${partsWords(first!.parts, false)}`);
    if (narrower(last)) edges.push(`ending with ${partsWords(last!.parts, false)}`);
  }
  return [`${countWords(min, max)} ${partsWords(all, true)}`, ...edges].join(", ");
}

/** A fixed start then a class: `^(https://|git@)\S+$` → "text starting with https:// or git@, without spaces". */
function prefixInWords(atoms: readonly Atom[]): string | undefined {
  if (atoms.length < 2) return undefined;
  const starts = literalAlternatives(atoms.slice(0, -1));
  const tail = atoms[atoms.length - 1]!;
  if (starts === undefined || tail.kind !== "set") return undefined;
  const parts = normalise(tail.parts);
  const rest = parts.length === 1 && parts[0]!.kind === "any"
    ? ""
    : parts.length === 1 && parts[0]!.kind === "nonspace"
    ? ", without spaces"
    : `, then ${countWords(tail.min, tail.max)} ${partsWords(tail.parts, true)}`;
  return `text starting with ${joinWords(starts, "or")}${rest}`;
}

/** Most items {@link sequenceInWords} says one by one; a longer pattern reads better as an example. */
const MAX_SEQUENCE_ITEMS = 4;

/** A short sequence, item by item: `^[a-z]+-[0-9]$` → "one or more lower-case letters, a hyphen, then a digit". */
function sequenceInWords(atoms: readonly Atom[]): string | undefined {
  const items: string[] = [];
  let literal = "";
  const flush = () => {
    if (literal === "") return;
    items.push(literal.length === 1 && CHAR_NAMES[literal] !== undefined ? CHAR_NAMES[literal]![1] : `"${literal}"`);
    literal = "";
  };
  for (const atom of atoms) {
    if (atom.kind === "literal" && atom.min === 1 && atom.max === 1) {
      literal += atom.text;
      continue;
    }
    flush();
    const optional = atom.min === 0 && atom.max === 1;
    if (atom.kind === "set") {
      items.push(atom.min === 1 && atom.max === 1 ? partsWords(atom.parts, false) : optional ? `optionally ${partsWords(atom.parts, false)}` : `${countWords(atom.min, atom.max)} ${partsWords(atom.parts, true)}`);
      continue;
    }
    const options = literalAlternatives([{ ...atom, min: 1, max: 1 }]);
    if (options === undefined || !(optional || (atom.min === 1 && atom.max === 1))) return undefined;
    items.push(`${optional ? "optionally " : ""}${joinWords(options.map((option) => `"${option}"`), "or")}`);
  }
  flush();
  if (items.length < 2 || items.length > MAX_SEQUENCE_ITEMS) return undefined;
  return `${items.slice(0, -1).join(", ")}, then ${items[items.length - 1]}`;
}

/** Literal atoms, or one group of literal alternatives, as the strings they admit. */
function literalAlternatives(atoms: readonly Atom[]): string[] | undefined {
  if (atoms.length === 1 && atoms[0]!.kind === "group" && atoms[0]!.min === 1 && atoms[0]!.max === 1) {
    const options = atoms[0]!.alternatives.map((alternative) => literalAlternatives(alternative)?.[0]);
    return options.every((option): option is string => option !== undefined && option !== "") ? options : undefined;
  }
  if (!atoms.every((atom) => atom.kind === "literal" && atom.min === 1 && atom.max === 1)) return undefined;
  return [atoms.map((atom) => (atom as Atom & { kind: "literal" }).text).join("")];
}

/** The description's own example ("e.g. X", "such as X", "like X"), when it matches the pattern. */
function exampleFrom(description: string | undefined, pattern: string): string | undefined {
  if (description === undefined) return undefined;
  const found = /\b(?:e\.g\.,?|such as|like|for example,?)\s+`?([^\s`]+?)`?(?=[.,;:)]*(?:\s|$))/.exec(description);
  if (found === null) return undefined;
  return matches(pattern, found[1]!) ? found[1] : undefined;
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return false;
  }
}

/**
 * A value made to match: each class's first character, each group's first alternative, as few as
 * allowed (an open-ended repeat once, so `(-[a-z]+)*` shows itself as `-a`).
 */
function exampleOf(atoms: readonly Atom[]): string | undefined {
  let text = "";
  for (const atom of atoms) {
    const count = atom.min === 0 && atom.max === undefined ? 1 : atom.min;
    let one: string | undefined;
    if (atom.kind === "literal") one = atom.text;
    else if (atom.kind === "group") one = exampleOf(atom.alternatives[0] ?? []);
    else one = sampleChar(atom.parts[0]);
    if (one === undefined) return undefined;
    text += one.repeat(count);
  }
  return text === "" ? undefined : text;
}

function sampleChar(part: CharPart | undefined): string | undefined {
  switch (part?.kind) {
    case "lower":
    case "nonspace":
    case "any":
      return "a";
    case "upper":
      return "A";
    case "digit":
      return "0";
    case "range":
      return part.from;
    case "char":
      return part.char;
    default:
      return undefined;
  }
}
