// rpm header blobs as stored in every rpmdb backend: big-endian il (index count), dl (data
// length), il 16-byte index entries {tag, type, offset, count}, then dl bytes of data. Packages in
// an .rpm file prefix this with the 8-byte header magic; databases store it without.
export const TAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  LICENSE: 1014,
  VENDOR: 1011,
  ARCH: 1022,
  SOURCERPM: 1044,
  MODULARITYLABEL: 5096,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
} as const;

export const TYPE = { INT32: 4, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9 } as const;

export interface RpmHeader {
  name?: string;
  version?: string;
  release?: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
  license?: string;
  vendor?: string;
  modularityLabel?: string;
  /** Installed files (DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]), absolute as rpm records them. */
  files?: string[];
}

const MAGIC = Buffer.from([0x8e, 0xad, 0xe8, 0x01]);
const WANTED = new Set<number>(Object.values(TAG));

/** Parses the tags we need; returns an error string for anything structurally impossible. */
export function parseRpmHeader(input: Uint8Array): RpmHeader | string {
  let blob = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (blob.length >= 16 && blob.subarray(0, 4).equals(MAGIC)) blob = blob.subarray(8);
  if (blob.length < 8) return "header blob too short";
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  // rpm itself caps headers at 0xffff tags and 256 MiB of data.
  if (il === 0 || il > 0xffff || dl > 256 * 1024 * 1024) return "implausible header sizes";
  const dataStart = 8 + il * 16;
  if (dataStart + dl > blob.length) return "header blob truncated";
  const data = blob.subarray(dataStart, dataStart + dl);
  const readString = (off: number): string | undefined => {
    if (off < 0 || off >= data.length) return undefined;
    const end = data.indexOf(0, off);
    if (end < 0) return undefined;
    return data.toString("utf8", off, end);
  };
  const MAX_FILES = 1_000_000;
  const readStrings = (off: number, count: number, type: number): string[] => {
    const out: string[] = [];
    if (type !== TYPE.STRING_ARRAY) return out;
    for (let i = 0, at = off; i < Math.min(count, MAX_FILES) && at >= 0 && at < data.length; i++) {
      const end = data.indexOf(0, at);
      if (end < 0) break;
      out.push(data.toString("utf8", at, end));
      at = end + 1;
    }
    return out;
  };
  const readInts = (off: number, count: number, type: number): number[] => {
    const out: number[] = [];
    if (type !== TYPE.INT32) return out;
    for (let i = 0; i < Math.min(count, MAX_FILES) && off + 4 * i + 4 <= data.length && off >= 0; i++) out.push(data.readUInt32BE(off + 4 * i));
    return out;
  };
  const arrays = new Map<number, (string | number)[]>();
  const h: RpmHeader = {};
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = blob.readUInt32BE(e);
    if (!WANTED.has(tag)) continue;
    const type = blob.readUInt32BE(e + 4);
    const off = blob.readInt32BE(e + 8);
    const count = blob.readUInt32BE(e + 12);
    if (tag === TAG.BASENAMES || tag === TAG.DIRNAMES || tag === TAG.DIRINDEXES) {
      arrays.set(tag, tag === TAG.DIRINDEXES ? readInts(off, count, type) : readStrings(off, count, type));
      continue;
    }
    let s: string | undefined;
    if (type === TYPE.STRING || type === TYPE.I18NSTRING || type === TYPE.STRING_ARRAY) s = readString(off);
    else if (type === TYPE.INT32 && count >= 1 && off >= 0 && off + 4 <= data.length) s = String(data.readUInt32BE(off));
    if (s === undefined) continue;
    switch (tag) {
      case TAG.NAME: h.name = s; break;
      case TAG.VERSION: h.version = s; break;
      case TAG.RELEASE: h.release = s; break;
      case TAG.EPOCH: h.epoch = Number(s); break;
      case TAG.ARCH: h.arch = s; break;
      case TAG.SOURCERPM: h.sourceRpm = s; break;
      case TAG.LICENSE: h.license = s; break;
      case TAG.VENDOR: h.vendor = s; break;
      case TAG.MODULARITYLABEL: h.modularityLabel = s; break;
    }
  }
  const base = arrays.get(TAG.BASENAMES) as string[] | undefined;
  const dirs = arrays.get(TAG.DIRNAMES) as string[] | undefined;
  const idx = arrays.get(TAG.DIRINDEXES) as number[] | undefined;
  if (base?.length && dirs && idx && idx.length === base.length) {
    h.files = base.map((b, i) => (dirs[idx[i]!] ?? "") + b);
  }
  return h;
}

/** Test/fixture helper: encodes a header blob (database form, no magic) from tag values. */
export function encodeRpmHeader(tags: { tag: number; value: string | number | string[] | number[] }[]): Buffer {
  const index: Buffer[] = [];
  const chunks: Buffer[] = [];
  let size = 0;
  for (const { tag, value } of tags) {
    let type: number;
    let body: Buffer;
    let count = 1;
    if (Array.isArray(value) && value.length && typeof value[0] === "number") {
      const pad = (4 - (size % 4)) % 4;
      if (pad) {
        chunks.push(Buffer.alloc(pad));
        size += pad;
      }
      type = TYPE.INT32;
      count = value.length;
      body = Buffer.alloc(4 * value.length);
      (value as number[]).forEach((v, i) => body.writeUInt32BE(v >>> 0, 4 * i));
    } else if (typeof value === "number") {
      // INT32 data is 4-byte aligned within the store.
      const pad = (4 - (size % 4)) % 4;
      if (pad) {
        chunks.push(Buffer.alloc(pad));
        size += pad;
      }
      type = TYPE.INT32;
      body = Buffer.alloc(4);
      body.writeUInt32BE(value >>> 0);
    } else if (Array.isArray(value)) {
      type = TYPE.STRING_ARRAY;
      count = value.length;
      body = Buffer.concat((value as string[]).map((v) => Buffer.from(v + "\0")));
    } else {
      type = TYPE.STRING;
      body = Buffer.from(value + "\0");
    }
    const e = Buffer.alloc(16);
    e.writeUInt32BE(tag, 0);
    e.writeUInt32BE(type, 4);
    e.writeUInt32BE(size, 8);
    e.writeUInt32BE(count, 12);
    index.push(e);
    chunks.push(body);
    size += body.length;
  }
  const head = Buffer.alloc(8);
  head.writeUInt32BE(index.length, 0);
  head.writeUInt32BE(size, 4);
  return Buffer.concat([head, ...index, ...chunks]);
}
