// Tar header decoding (POSIX ustar + pax extended headers + GNU long names and base-256 sizes).
// Shared by the streaming layer parser and the random-access archive index. Pure.
import { InputError } from "../../errors.js";

export type EntryType = "file" | "hardlink" | "symlink" | "char" | "block" | "dir" | "fifo" | "pax" | "pax-global" | "gnu-longname" | "gnu-longlink" | "other";

export interface RawHeader {
  name: string;
  mode: number;
  size: number;
  type: EntryType;
  linkname: string;
}

export interface TarEntry {
  /** Raw name as stored (not normalized). */
  name: string;
  mode: number;
  size: number;
  type: EntryType;
  linkname: string;
}

/** Metadata entries (pax records, GNU long names) are small; anything bigger is hostile. */
export const MAX_META_BYTES = 1024 * 1024;

const TYPES: Record<number, EntryType> = {
  0: "file",
  0x30: "file",
  0x31: "hardlink",
  0x32: "symlink",
  0x33: "char",
  0x34: "block",
  0x35: "dir",
  0x36: "fifo",
  0x37: "file",
  0x78: "pax",
  0x67: "pax-global",
  0x4c: "gnu-longname",
  0x4b: "gnu-longlink",
};

function cstring(b: Uint8Array, start: number, len: number): string {
  let end = start;
  const max = start + len;
  while (end < max && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString("utf8");
}

function octal(b: Uint8Array, start: number, len: number): number {
  let i = start;
  const end = start + len;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) return -1;
    v = v * 8 + (c - 0x30);
  }
  return v;
}

/** GNU base-256 numbers (first byte 0x80): used for sizes ≥ 8 GiB. */
function base256(b: Uint8Array, start: number, len: number): number {
  if (b[start] & 0x40) return -1; // negative
  let v = b[start] & 0x3f;
  for (let i = start + 1; i < start + len; i++) {
    v = v * 256 + b[i];
    if (v > Number.MAX_SAFE_INTEGER) return -1;
  }
  return v;
}

export function isZeroBlock(b: Uint8Array, offset = 0): boolean {
  for (let i = offset; i < offset + 512; i++) if (b[i] !== 0) return false;
  return true;
}

/** Decodes the 512-byte header at `offset`; throws on a checksum mismatch (not a tar, or corrupt). */
export function parseRawHeader(b: Uint8Array, offset: number, what: string): RawHeader {
  const stored = octal(b, offset + 148, 8);
  let sum = 0;
  for (let i = offset; i < offset + 512; i++) sum += i >= offset + 148 && i < offset + 156 ? 0x20 : b[i];
  if (stored !== sum) throw new InputError(`${what}: not a tar archive or corrupt tar header (checksum mismatch)`);
  const size = b[offset + 124] & 0x80 ? base256(b, offset + 124, 12) : octal(b, offset + 124, 12);
  if (size < 0) throw new InputError(`${what}: corrupt tar header (bad size field)`);
  let name = cstring(b, offset, 100);
  // POSIX ustar keeps a 155-byte prefix; GNU's "ustar  " magic uses that space for other fields.
  const ustar = b[offset + 257] === 0x75 && b[offset + 262] === 0 && b[offset + 263] === 0x30;
  if (ustar && b[offset + 345] !== 0) name = `${cstring(b, offset + 345, 155)}/${name}`;
  return {
    name,
    mode: Math.max(0, octal(b, offset + 100, 8)),
    size,
    type: TYPES[b[offset + 156]] ?? "other",
    linkname: cstring(b, offset + 157, 100),
  };
}

/** pax records: "<len> <key>=<value>\n". Only the keys we use are returned. */
export function parsePax(body: Buffer): { path?: string; linkpath?: string; size?: number } {
  const out: { path?: string; linkpath?: string; size?: number } = {};
  let i = 0;
  while (i < body.length) {
    const space = body.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(body.toString("latin1", i, space));
    if (!Number.isSafeInteger(len) || len <= 0 || i + len > body.length) break;
    const record = body.toString("utf8", space + 1, i + len - 1);
    const eq = record.indexOf("=");
    if (eq > 0) {
      const key = record.slice(0, eq);
      const value = record.slice(eq + 1);
      if (key === "path") out.path = value;
      else if (key === "linkpath") out.linkpath = value;
      else if (key === "size" && /^\d+$/.test(value) && Number.isSafeInteger(Number(value))) out.size = Number(value);
    }
    i += len;
  }
  return out;
}

/** Pending pax/GNU overrides for the next real entry. */
export interface Extended {
  path?: string;
  linkpath?: string;
  size?: number;
}

export function isMeta(type: EntryType): boolean {
  return type === "pax" || type === "pax-global" || type === "gnu-longname" || type === "gnu-longlink";
}

/** Folds one metadata entry's body into the pending overrides (global pax headers are ignored). */
export function absorbMeta(ext: Extended, raw: RawHeader, body: Buffer): void {
  if (raw.type === "pax") Object.assign(ext, parsePax(body));
  else if (raw.type === "gnu-longname") ext.path = cstring(body, 0, body.length);
  else if (raw.type === "gnu-longlink") ext.linkpath = cstring(body, 0, body.length);
}

export function applyExtended(raw: RawHeader, ext: Extended): TarEntry {
  return {
    name: ext.path ?? raw.name,
    mode: raw.mode,
    size: ext.size ?? raw.size,
    type: raw.type,
    linkname: ext.linkpath ?? raw.linkname,
  };
}

export function padded(size: number): number {
  return Math.ceil(size / 512) * 512;
}
