/**
 * Release archives written by our own code: `.tar.gz` (ustar + gzip) for Linux and macOS, `.zip`
 * (deflate) for Windows. No `tar`/`zip` program needed on the release machine, and the same bytes
 * whichever tar it has (owner root, fixed mtime, fixed order). Entries are small in number and held in
 * memory (a runos binary is ~110 MB).
 */
import { deflateRawSync, gzipSync } from "node:zlib";
import { Buffer } from "node:buffer";

/** One file of an archive. */
export interface ArchiveEntry {
  /** Path inside the archive (`runos`, `README.md`); at most 100 bytes. */
  readonly name: string;
  readonly data: Uint8Array;
  /** Unix permission bits, e.g. 0o755 for the binary. */
  readonly mode: number;
}

const BLOCK = 512;
const encoder = new TextEncoder();

function octal(value: number, width: number): string {
  // `width - 1` octal digits then NUL, as ustar numeric fields are written.
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function ustarHeader(entry: ArchiveEntry, mtime: number): Uint8Array {
  const name = encoder.encode(entry.name);
  if (name.length > 100) throw new RangeError(`archive entry name longer than 100 bytes: ${entry.name}`);
  const header = new Uint8Array(BLOCK);
  const put = (offset: number, text: string) => header.set(encoder.encode(text), offset);
  header.set(name, 0);
  put(100, octal(entry.mode & 0o7777, 8));
  put(108, octal(0, 8)); // uid
  put(116, octal(0, 8)); // gid
  put(124, octal(entry.data.length, 12));
  put(136, octal(mtime, 12));
  put(148, "        "); // checksum counted as spaces
  put(156, "0"); // regular file
  put(257, "ustar\0");
  put(263, "00");
  put(265, "root");
  put(297, "root");
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  put(148, `${checksum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

/** A gzip-compressed ustar archive of `entries`, every file dated `mtime` (seconds since 1970). */
export function tarGz(entries: readonly ArchiveEntry[], mtime: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    parts.push(ustarHeader(entry, mtime), entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(new Uint8Array(padding));
  }
  parts.push(new Uint8Array(2 * BLOCK)); // end of archive
  return gzipSync(Buffer.concat(parts));
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), as zip and gzip use it. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function dosDateTime(mtime: number): { time: number; date: number } {
  const d = new Date(mtime * 1000);
  const year = Math.max(d.getUTCFullYear(), 1980);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** A zip archive of `entries` (deflated, Unix modes kept), every file dated `mtime`. */
export function zip(entries: readonly ArchiveEntry[], mtime: number): Uint8Array {
  const { time, date } = dosDateTime(mtime);
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const compressed = deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true); // version needed: 2.0 (deflate)
    local.setUint16(6, 0x0800, true); // names are UTF-8
    local.setUint16(8, 8, true); // deflate
    local.setUint16(10, time, true);
    local.setUint16(12, date, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, compressed.length, true);
    local.setUint32(22, entry.data.length, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);
    locals.push(new Uint8Array(local.buffer), name, compressed);

    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, (3 << 8) | 20, true); // made by Unix, so unzip restores the mode
    central.setUint16(6, 20, true);
    central.setUint16(8, 0x0800, true);
    central.setUint16(10, 8, true);
    central.setUint16(12, time, true);
    central.setUint16(14, date, true);
    central.setUint32(16, crc, true);
    central.setUint32(20, compressed.length, true);
    central.setUint32(24, entry.data.length, true);
    central.setUint16(28, name.length, true);
    central.setUint32(38, ((0o100000 | (entry.mode & 0o7777)) << 16) >>> 0, true); // regular file + mode
    central.setUint32(42, offset, true);
    centrals.push(new Uint8Array(central.buffer), name);
    offset += 30 + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, directory.length, true);
  end.setUint32(16, offset, true);
  return Buffer.concat([...locals, directory, new Uint8Array(end.buffer)]);
}
