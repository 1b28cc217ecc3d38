// Go build info without whole-file buffers, for binaries of any size (terraform-provider-aws is
// 700 MB). The scan keeps the first 64 KiB (file header, segment tables, the text start where the
// linker writes "\xff Go build ID:"), finds the "\xff Go buildinf:" header with a pattern search
// carried across chunk boundaries, and collects only the bytes that header points to. Memory is the
// head plus what the header points to (bounded), whatever the file size.
//
// Two ways to drive it: a stream (tar layer) feeds every chunk in order and is searched only in the
// segments the head's program headers say can hold each pattern; a random-access source
// (dir:) reads only where `want()` points — the data segment first (where the linker puts the
// header), then, for a Go binary whose header is missing, the whole file for runtime.modinfo.
import type { FileScan, FileFacts } from "./types.js";
import { packagesFromModinfo } from "./go-modinfo.js";

const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");
const BUILD_ID = Buffer.from('\xff Go build ID: "', "latin1");
const ELF_GO_NOTE = Buffer.from("Go\x00\x00", "latin1");
const SENTINEL_START = Buffer.from("3077af0c9274080241e1c107e6d618e6", "hex");
const SENTINEL_END = Buffer.from("f932433186182072008242104116d8f2", "hex");
const HEAD = 64 * 1024;
/** What one header may point to (terraform-provider-aws's module list is ~60 KiB). */
const MAX_POINTED = 16 * 1024 * 1024;
const MAX_CANDIDATES = 16;

type Kind = "elf" | "pe" | "macho";
interface Segment {
  va: number;
  off: number;
  size: number;
}

function num(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
}

export function binaryKind(b: Uint8Array): Kind | undefined {
  if (b.length < 64) return undefined;
  const v = Buffer.from(b.buffer, b.byteOffset, b.length);
  if (v.readUInt32BE(0) === 0x7f454c46) return "elf";
  if (v[0] === 0x4d && v[1] === 0x5a) return "pe";
  const m = v.readUInt32BE(0);
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(m)) return "macho";
  return undefined;
}

/** A file range [start, end). */
export interface Span {
  start: number;
  end: number;
}

export interface Layout {
  kind: Kind;
  segments: Segment[];
  /** File range where the linker puts the build-info header (the first writable data). */
  data?: Span;
  /** ELF only, when the whole program header table is in the head: each PT_LOAD's file range and flags. */
  loads?: (Span & { flags: number })[];
}

const PF_X = 1;
const PF_W = 2;

/** Segment tables and the data start, from the file's first bytes only (tables past `head` are ignored). */
export function layoutOf(b: Buffer, kind: Kind): Layout {
  const segments: Segment[] = [];
  let data: Layout["data"];
  let loads: Layout["loads"];
  const fits = (o: number, n: number) => o >= 0 && o + n <= b.length;
  if (kind === "elf") {
    const is64 = b[4] === 2;
    const le = b[5] !== 2;
    const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const u64 = (o: number) => num(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
    const phoff = is64 ? u64(32) : u32(28);
    const phentsize = u16(is64 ? 54 : 42);
    const declared = u16(is64 ? 56 : 44);
    const phnum = Math.min(declared, 256);
    const found: NonNullable<Layout["loads"]> = [];
    let complete = declared === phnum && phentsize >= (is64 ? 56 : 32);
    for (let i = 0; i < phnum; i++) {
      const p = phoff + i * phentsize;
      if (!fits(p, is64 ? 56 : 32)) {
        complete = false;
        break;
      }
      if (u32(p) !== 1) continue; // PT_LOAD
      const flags = u32(is64 ? p + 4 : p + 24);
      const seg = is64 ? { off: u64(p + 8), va: u64(p + 16), size: u64(p + 32) } : { off: u32(p + 4), va: u32(p + 8), size: u32(p + 16) };
      segments.push(seg);
      if (seg.off >= 0 && seg.size >= 0) found.push({ start: seg.off, end: seg.off + seg.size, flags });
      else complete = false;
      // debug/buildinfo: the first PT_LOAD that is writable and not executable.
      if (!data && (flags & (PF_X | PF_W)) === PF_W) data = { start: seg.off, end: seg.off + seg.size };
    }
    if (complete && found.length) loads = found;
  } else if (kind === "pe") {
    const pe = b.readUInt32LE(0x3c);
    if (!fits(pe, 24) || b.readUInt32LE(pe) !== 0x00004550) return { kind, segments };
    const nsec = Math.min(b.readUInt16LE(pe + 6), 96);
    const optSize = b.readUInt16LE(pe + 20);
    const opt = pe + 24;
    if (!fits(opt, 32)) return { kind, segments };
    const base = b.readUInt16LE(opt) === 0x20b ? num(b.readBigUInt64LE(opt + 24)) : b.readUInt32LE(opt + 28);
    for (let i = 0; i < nsec; i++) {
      const s = opt + optSize + i * 40;
      if (!fits(s, 40)) break;
      const seg = { va: base + b.readUInt32LE(s + 12), size: b.readUInt32LE(s + 16), off: b.readUInt32LE(s + 20) };
      segments.push(seg);
      // Initialized, readable, writable data (alignment bits ignored), as debug/buildinfo looks for.
      const ch = b.readUInt32LE(s + 36) & ~0x00f00000;
      if (!data && ch === (0x40 | 0x40000000 | 0x80000000) && seg.va !== base && seg.size) data = { start: seg.off, end: seg.off + seg.size };
    }
  } else {
    const magic = b.readUInt32LE(0);
    const le = magic === 0xfeedface || magic === 0xfeedfacf;
    const is64 = magic === 0xfeedfacf || magic === 0xcffaedfe;
    const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const u64 = (o: number) => num(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
    const ncmds = Math.min(u32(16), 4096);
    let p = is64 ? 32 : 28;
    for (let i = 0; i < ncmds && fits(p, 8); i++) {
      const cmd = u32(p);
      const size = u32(p + 4);
      if (size < 8) break;
      if (cmd === 0x19 && fits(p, 72)) {
        const seg = { va: u64(p + 24), off: u64(p + 40), size: u64(p + 48) };
        segments.push(seg);
        const name = b.toString("latin1", p + 8, p + 24).replace(/\0.*$/s, "");
        if (name === "__DATA" && !data) {
          data = { start: seg.off, end: seg.off + seg.size };
          // A __go_buildinfo section names the exact place.
          const nsects = Math.min(u32(p + 64), 256);
          for (let s = 0, q = p + 72; s < nsects && fits(q, 80); s++, q += 80) {
            if (b.toString("latin1", q, q + 16).replace(/\0.*$/s, "") === "__go_buildinfo") data = { start: u32(q + 48), end: u32(q + 48) + u64(q + 40) };
          }
        }
      }
      if (cmd === 0x1 && fits(p, 40)) segments.push({ va: u32(p + 24), off: u32(p + 32), size: u32(p + 36) });
      p += size;
    }
  }
  return { kind, segments: segments.filter((s) => s.va >= 0 && s.off >= 0 && s.size > 0), data, ...(loads ? { loads } : {}) };
}

function fileOffset(segments: Segment[], va: number, len: number): number | undefined {
  for (const s of segments) if (va >= s.va && va + len <= s.va + s.size) return s.off + (va - s.va);
  return undefined;
}

/** Sorted, overlaps merged (a hostile table may repeat or overlap segments). */
function merged(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].filter((x) => x.end > x.start).sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/**
 * Where a stream scan looks, from the head alone (undefined: the whole file). The linker writes
 * the build-info header into `.go.buildinfo`, a writable section, so it lies in a writable PT_LOAD
 * (debug/buildinfo reads it from that section, or from the first writable segment); the
 * runtime.modinfo string is read-only data, in a non-executable segment. An ELF whose program
 * headers are not all in the head, and any other format, is searched whole. On this machine's
 * /usr (2.1 GB of ELF executables, 0.9 GB of them Go) that is 0.1 GB for the header and 0.8 GB
 * for runtime.modinfo, where each was searched over all 2.1 GB.
 */
export function streamSearchSpans(layout: Layout | undefined): { magic?: Span[]; sentinel?: Span[] } {
  const loads = layout?.loads;
  if (!loads?.length) return {};
  const writable = loads.filter((l) => l.flags & PF_W);
  const readOnly = loads.filter((l) => !(l.flags & PF_X));
  return { magic: merged(writable.length ? writable : loads), sentinel: merged(readOnly.length ? readOnly : loads) };
}

/** The parts of [at, at + length) inside `spans` (all of it when spans is undefined). */
function clip(spans: Span[] | undefined, at: number, length: number): Span[] {
  if (!spans) return [{ start: at, end: at + length }];
  const out: Span[] = [];
  for (const s of spans) {
    const start = Math.max(s.start, at);
    const end = Math.min(s.end, at + length);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** Finds a pattern in consecutive chunks, including matches that straddle two chunks. */
class PatternSearch {
  private tail = Buffer.alloc(0);
  private tailOffset = 0;
  constructor(private readonly pattern: Buffer) {}
  reset(): void {
    this.tail = Buffer.alloc(0);
  }
  /** File offsets of matches that start before the end of `chunk`, in order. */
  feed(chunk: Buffer, offset: number): number[] {
    const hits: number[] = [];
    const k = this.pattern.length;
    if (this.tail.length && this.tailOffset + this.tail.length === offset) {
      const joint = Buffer.concat([this.tail, chunk.subarray(0, k - 1)]);
      for (let i = joint.indexOf(this.pattern); i >= 0 && i < this.tail.length; i = joint.indexOf(this.pattern, i + 1)) hits.push(this.tailOffset + i);
    }
    for (let i = chunk.indexOf(this.pattern); i >= 0; i = chunk.indexOf(this.pattern, i + 1)) hits.push(offset + i);
    const keep = Math.min(k - 1, chunk.length);
    const prevKeep = k - 1 - keep;
    // Keep the last k-1 bytes seen (from the previous tail when this chunk is shorter).
    this.tail = Buffer.concat([prevKeep > 0 && this.tailOffset + this.tail.length === offset ? this.tail.subarray(Math.max(0, this.tail.length - prevKeep)) : Buffer.alloc(0), chunk.subarray(chunk.length - keep)]);
    this.tailOffset = offset + chunk.length - this.tail.length;
    return hits;
  }
  /** The carried bytes (for collecting a match that began in the previous chunk). */
  carried(): { bytes: Buffer; offset: number } {
    return { bytes: this.tail, offset: this.tailOffset };
  }
}

/** A byte range being collected from whatever passes by. */
class Range {
  readonly buf: Buffer;
  private filledTo = 0;
  constructor(
    readonly offset: number,
    length: number,
  ) {
    this.buf = Buffer.alloc(Math.max(0, length));
  }
  get done(): boolean {
    return this.filledTo >= this.buf.length;
  }
  /** Next file offset still missing. */
  get next(): number {
    return this.offset + this.filledTo;
  }
  feed(chunk: Uint8Array, at: number): void {
    const from = Math.max(this.next, at);
    const to = Math.min(this.offset + this.buf.length, at + chunk.length);
    if (to <= from || from !== this.next) return; // a gap: only contiguous filling is meaningful
    this.buf.set(chunk.subarray(from - at, to - at), from - this.offset);
    this.filledTo = to - this.offset;
  }
  /** Ends early (file shorter than asked): what was filled. */
  filled(): Buffer {
    return this.buf.subarray(0, this.filledTo);
  }
}

function uvarint(b: Buffer, o: number): [number, number] | undefined {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10 && o + i < b.length; i++) {
    const byte = b[o + i]!;
    v += (byte & 0x7f) * mul;
    if (byte < 0x80) return v > Number.MAX_SAFE_INTEGER ? undefined : [v, o + i + 1];
    mul *= 128;
  }
  return undefined;
}

/** One "\xff Go buildinf:" hit being read: the header, then what it points to. */
class Candidate {
  range: Range;
  /** Pre-1.18 pointer format: string headers, then string data. */
  private pending: { range: Range; use: (b: Buffer) => void }[] = [];
  private version?: string;
  private modinfo?: string;
  failed?: string;
  /** Counts ranges asked for, so a caller can tell when new ones want the current chunk. */
  asked = 0;
  result?: { version: string; modinfo: string };
  constructor(
    readonly at: number,
    private readonly size: number,
    private readonly layout: () => Layout | undefined,
  ) {
    this.range = new Range(at, Math.min(size - at, 64 * 1024));
  }
  get ranges(): Range[] {
    return [this.range, ...this.pending.map((p) => p.range)];
  }
  feed(chunk: Buffer, at: number): void {
    if (this.result || this.failed) return;
    if (!this.range.done) this.range.feed(chunk, at);
    for (const p of this.pending) p.range.feed(chunk, at);
  }
  /** Advances as far as the collected bytes allow; a stream can no longer supply bytes before `position`. */
  step(position: number, streaming: boolean, ended: boolean): void {
    if (this.result || this.failed) return;
    // Decide from what has arrived so far: a stream must ask for pointed-to bytes before they pass.
    const b = this.range.filled();
    if (b.length < 32) {
      if (ended) this.failed = "truncated build-info header";
      return;
    }
    const ptrSize = b[14]!;
    const flags = b[15]!;
    if (flags & 2) {
      const v = uvarint(b, 32);
      const m = v && v[1] + v[0] <= b.length ? uvarint(b, v[1] + v[0]) : undefined;
      const need = m ? m[1] + m[0] : v ? v[1] + v[0] + 10 : 42;
      if (m && need <= b.length) {
        this.accept(b.toString("utf8", v![1], v![1] + v![0]), b.toString("utf8", m[1], m[1] + m[0]));
        return;
      }
      if (need > MAX_POINTED) return void (this.failed = `build info larger than ${MAX_POINTED} bytes`);
      if (ended || need > this.size - this.at) return void (this.failed = "build info runs past the end of the file");
      if (need <= this.range.buf.length) return; // still arriving
      // Longer than first collected: collect exactly what the header says (still ahead in a stream).
      const grown = new Range(this.at, need);
      grown.feed(b, this.at);
      this.range = grown;
      this.asked++;
      return;
    }
    // Before Go 1.18: two pointers to Go string headers, mapped through the segment table.
    const layout = this.layout();
    if ((ptrSize !== 4 && ptrSize !== 8) || !layout) return void (this.failed = "unrecognized build-info header");
    const be = (flags & 1) !== 0;
    const ptr = (x: Buffer, o: number) => (ptrSize === 8 ? num(be ? x.readBigUInt64BE(o) : x.readBigUInt64LE(o)) : be ? x.readUInt32BE(o) : x.readUInt32LE(o));
    if (this.pending.length === 0 && this.version === undefined) {
      const want = (va: number, set: (s: string) => void) => {
        const hdr = fileOffset(layout.segments, va, 2 * ptrSize);
        if (hdr === undefined) return void (this.failed = "build-info pointer outside the file");
        this.expect(hdr, 2 * ptrSize, position, streaming, (h) => {
          const len = ptr(h, ptrSize);
          if (len < 0 || len > MAX_POINTED) return void (this.failed = "build-info string too long");
          if (len === 0) return set("");
          const data = fileOffset(layout.segments, ptr(h, 0), len);
          if (data === undefined) return void (this.failed = "build-info string outside the file");
          this.expect(data, len, position, streaming, (d) => set(d.toString("utf8")));
        });
      };
      this.version = "";
      want(ptr(b, 16), (s) => (this.version = s));
      want(ptr(b, 16 + ptrSize), (s) => (this.modinfo = s));
    }
    let progressed = true;
    while (progressed && !this.failed) {
      progressed = false;
      for (const p of [...this.pending]) {
        if (!p.range.done) continue;
        this.pending.splice(this.pending.indexOf(p), 1);
        p.use(p.range.buf);
        progressed = true;
      }
    }
    if (!this.failed && this.pending.length === 0 && this.modinfo !== undefined) this.accept(this.version ?? "", this.modinfo);
    else if (!this.failed && ended) this.failed = "build-info strings not found";
  }
  /** The magic also occurs as plain data (tools that read build info): only a toolchain version makes it a header. */
  private accept(version: string, modinfo: string): void {
    if (/^(go\d|devel)/.test(version)) this.result = { version, modinfo };
    else this.failed = "not a build-info header";
  }
  private expect(offset: number, len: number, position: number, streaming: boolean, use: (b: Buffer) => void): void {
    // A stream cannot go back: data the header points to behind us is lost (runtime.modinfo remains).
    if (streaming && offset < position) return void (this.failed = "build-info strings precede the header");
    if (offset + len > this.size) return void (this.failed = "build-info pointer past the end of the file");
    this.pending.push({ range: new Range(offset, len), use });
    this.asked++;
  }
}

export interface GoScanOptions {
  /** True when the source can read at any offset (dir:); false for a tar stream. */
  randomAccess: boolean;
}

export class GoBuildInfoScan implements FileScan {
  private readonly head: Range;
  private layout?: Layout;
  private goMarker = false;
  private notBinary = false;
  private readonly magic = new PatternSearch(MAGIC);
  /** Stream mode: where each pattern is searched, set once the head is complete. */
  private spans?: { magic?: Span[]; sentinel?: Span[] };
  private readonly sentinel = new PatternSearch(SENTINEL_START);
  private candidates: Candidate[] = [];
  private modinfoText?: Range;
  private modinfoEndSearch?: PatternSearch;
  private modinfoFound?: string;
  private position = 0;
  /** Random access: which pass is running ("data" = the data segment, "all" = whole file for runtime.modinfo). */
  private pass: "head" | "data" | "all" | "done" = "head";
  private searchPos = 0;
  private searchEnd = 0;
  private hits = 0;

  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly options: GoScanOptions,
  ) {
    this.head = new Range(0, Math.min(size, HEAD));
  }

  private get done(): boolean {
    return this.notBinary || this.candidates.some((c) => c.result) || this.pass === "done";
  }

  want(): number {
    if (this.done) return -1;
    if (!this.head.done) return this.head.next;
    if (!this.options.randomAccess) return this.position;
    // ELF section names first, as Go's debug/buildinfo does: `.go.buildinfo` is where the header is
    // (externally linked binaries put a RELRO segment before it), and no Go section means no Go.
    if (this.layout?.kind === "elf" && !this.sectionsProbed) this.probeSections();
    if (this.done) return -1;
    if (this.probe) return this.probe.range.next;
    // Once runtime.modinfo is read its range is no longer wanted (it would be asked for forever).
    const modinfo = this.modinfoText && !this.modinfoFound ? [this.modinfoText] : [];
    const pending = [...this.candidates.filter((c) => !c.result && !c.failed).flatMap((c) => c.ranges), ...modinfo].filter((r) => !r.done);
    if (pending.length) return Math.min(...pending.map((r) => r.next));
    if (this.searchPos < this.searchEnd) return this.searchPos;
    this.nextPass();
    return this.done ? -1 : this.searchPos;
  }

  private nextPass(): void {
    if (this.pass === "data" && this.goMarker && !this.modinfoFound) {
      this.pass = "all";
      this.searchPos = 0;
      this.searchEnd = this.size;
      this.magic.reset();
      this.sentinel.reset();
      return;
    }
    this.pass = "done";
  }

  private sectionsProbed = false;
  private probe?: { range: Range; then: (b: Buffer) => void };

  private probeSections(): void {
    this.sectionsProbed = true;
    const h = this.head.filled();
    const is64 = h[4] === 2;
    const le = h[5] !== 2;
    const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const word = (b: Buffer, o: number) => (is64 ? num(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(b, o));
    const shoff = word(h, is64 ? 40 : 32);
    const shentsize = u16(h, is64 ? 58 : 46);
    const shnum = u16(h, is64 ? 60 : 48);
    const shstrndx = u16(h, is64 ? 62 : 50);
    const table = shentsize * shnum;
    // No usable section table (stripped of it): fall back to the data segment from the head.
    if (shoff <= 0 || shentsize < (is64 ? 64 : 40) || shstrndx >= shnum || table > 1024 * 1024 || shoff + table > this.size) return;
    this.probe = {
      range: new Range(shoff, table),
      then: (t) => {
        const at = shstrndx * shentsize;
        const off = word(t, at + (is64 ? 24 : 16));
        const len = word(t, at + (is64 ? 32 : 20));
        if (off < 0 || len <= 0 || len > 1024 * 1024 || off + len > this.size) return void (this.probe = undefined);
        this.probe = {
          range: new Range(off, len),
          then: (names) => {
            this.probe = undefined;
            const nameAt = (i: number) => {
              const start = u32(t, i * shentsize);
              const end = names.indexOf(0, start);
              return start < names.length ? names.toString("latin1", start, end < 0 ? names.length : end) : "";
            };
            const go = new Set([".gopclntab", ".go.buildinfo", ".note.go.buildid", ".go.module", ".gosymtab"]);
            let goSection = false;
            for (let i = 0; i < shnum; i++) {
              const name = nameAt(i);
              if (!go.has(name)) continue;
              goSection = true;
              if (name !== ".go.buildinfo") continue;
              const at = i * shentsize;
              const start = word(t, at + (is64 ? 24 : 16));
              const size = word(t, at + (is64 ? 32 : 20));
              if (start >= 0 && size > 0 && start < this.size) {
                this.searchPos = start;
                this.searchEnd = Math.min(this.size, start + size);
                this.pass = "data";
              }
            }
            this.goMarker ||= goSection;
            // A section table that lists no Go section: not a Go binary, nothing more to read.
            if (!this.goMarker) this.pass = "done";
          },
        };
      },
    };
  }

  private kind?: Kind;
  /** The segment tables, from the head as far as it has arrived. */
  private currentLayout(): Layout | undefined {
    if (this.layout) return this.layout;
    return this.kind ? layoutOf(this.head.filled(), this.kind) : undefined;
  }

  private afterHead(): void {
    const head = this.head.filled();
    const kind = binaryKind(head);
    this.kind = kind;
    if (!kind) {
      this.notBinary = true;
      return;
    }
    this.layout = layoutOf(head, kind);
    this.goMarker = head.includes(BUILD_ID) || (kind === "elf" && head.includes(ELF_GO_NOTE));
    const data = this.layout.data;
    this.pass = "data";
    this.searchPos = data && data.start < this.size ? data.start : 0;
    this.searchEnd = data && data.start < this.size ? Math.min(this.size, data.end) : this.size;
    if (!data) {
      // No data segment to aim at: one pass over everything finds either the header or runtime.modinfo.
      this.pass = "all";
      this.goMarker = true;
    }
  }

  write(input: Uint8Array, offset: number): void {
    if (this.done) return;
    const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.length);
    if (!this.head.done) {
      this.head.feed(chunk, offset);
      if (this.head.done) this.afterHead();
      else if (!this.kind && this.head.filled().length >= 64) {
        // Know early whether this is a binary at all; the segment tables wait for the whole head.
        this.kind = binaryKind(this.head.filled());
        if (!this.kind) this.notBinary = true;
      }
      if (this.done) return;
    }
    const streaming = !this.options.randomAccess;
    if (this.probe) {
      const probe = this.probe;
      probe.range.feed(chunk, offset);
      if (probe.range.done) probe.then(probe.range.buf);
      return;
    }
    if (streaming) this.searchStream(chunk, offset);
    else if (offset === this.searchPos && offset < this.searchEnd) {
      // Random access searches only the range of the current pass.
      const piece = chunk.subarray(0, Math.max(0, Math.min(chunk.length, this.searchEnd - offset)));
      this.search(piece, offset, undefined, this.pass === "all" ? undefined : []);
      this.searchPos = offset + piece.length;
    }
    if (this.modinfoText && !this.modinfoFound) this.collectModinfo(chunk, offset);
    this.position = Math.max(this.position, offset + chunk.length);
    this.feedCandidates(chunk, offset, offset);
  }

  /** Feeds `bytes` (at file offset `at`) to every candidate; the source cannot supply bytes before `position`. */
  private feedCandidates(bytes: Buffer, at: number, position: number): void {
    for (const c of this.candidates) {
      // A header may point into these very bytes: feed newly wanted ranges until nothing changes.
      for (let n = -1; n !== c.asked && !c.result && !c.failed; ) {
        n = c.asked;
        c.feed(bytes, at);
        c.step(position, !this.options.randomAccess, false);
      }
    }
  }

  /**
   * A stream passes once: the head decides where to search (streamSearchSpans), so nothing is
   * searched until it is complete; then its own bytes are searched, then the rest as it passes.
   */
  private searchStream(chunk: Buffer, offset: number): void {
    if (!this.head.done) return;
    if (!this.spans) {
      this.spans = streamSearchSpans(this.layout);
      const head = this.head.filled();
      this.search(head, 0, this.spans.magic, this.spans.sentinel);
      // The head is all in memory: a header found in it may point anywhere from byte 0 on.
      this.feedCandidates(head, 0, 0);
      const past = Math.max(0, head.length - offset);
      if (past < chunk.length) this.search(chunk.subarray(past), offset + past, this.spans.magic, this.spans.sentinel);
      return;
    }
    this.search(chunk, offset, this.spans.magic, this.spans.sentinel);
  }

  /** Pattern search of `piece` (at file offset `at`) within the given spans (undefined: all of it; []: none). */
  private search(piece: Buffer, at: number, magicSpans: Span[] | undefined, sentinelSpans: Span[] | undefined): void {
    for (const s of clip(magicSpans, at, piece.length)) {
      const carried = this.magic.carried();
      for (const hit of this.magic.feed(piece.subarray(s.start - at, s.end - at), s.start)) {
        if (this.hits++ >= MAX_CANDIDATES) break;
        const c = new Candidate(hit, this.size, () => this.currentLayout());
        c.feed(carried.bytes, carried.offset);
        c.feed(piece, at);
        this.candidates.push(c);
      }
    }
    if (this.modinfoText || this.modinfoFound) return;
    for (const s of clip(sentinelSpans, at, piece.length)) {
      const hit = this.sentinel.feed(piece.subarray(s.start - at, s.end - at), s.start)[0];
      if (hit === undefined) continue;
      this.modinfoText = new Range(hit + 16, Math.min(this.size - hit - 16, 1024 * 1024));
      this.modinfoEndSearch = new PatternSearch(SENTINEL_END);
      // What follows the sentinel in this piece is collected now (later chunks by write()).
      this.collectModinfo(piece, at);
      return;
    }
  }

  private collectModinfo(chunk: Buffer, offset: number): void {
    const r = this.modinfoText!;
    const before = r.next;
    r.feed(chunk, offset);
    if (r.next === before) return;
    const part = r.buf.subarray(before - r.offset, r.next - r.offset);
    const end = this.modinfoEndSearch!.feed(part, before)[0];
    if (end !== undefined) {
      const text = r.buf.toString("utf8", 0, end - r.offset);
      if (/^(path|mod)\t/.test(text)) this.modinfoFound = text;
      else {
        // Not module info (the bytes occur as data): look for the next start sentinel.
        this.modinfoText = undefined;
      }
    } else if (r.done) this.modinfoText = undefined;
  }

  end(): FileFacts {
    if (!this.kind && !this.notBinary) this.kind = binaryKind(this.head.filled());
    if (this.notBinary || !this.kind) return { packages: [] };
    for (const c of this.candidates) c.step(this.position, !this.options.randomAccess, true);
    for (const c of this.candidates) {
      const bi = c.result;
      if (!bi || !/^(go\d|devel)/.test(bi.version)) continue;
      let modinfo = bi.modinfo;
      if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === "\n") modinfo = modinfo.slice(16, -16);
      return { packages: packagesFromModinfo(this.path, bi.version.split(/\s/)[0]!, modinfo) };
    }
    if (this.modinfoFound) {
      // The toolchain version lives elsewhere (runtime.buildVersion), so no stdlib entry here.
      return {
        packages: packagesFromModinfo(this.path, "unknown", this.modinfoFound),
        warnings: [`${this.path}: Go build-info header missing; modules read from runtime.modinfo, Go stdlib version unknown`],
      };
    }
    if (this.hits > 0) {
      const why = this.candidates.map((c) => c.failed).find(Boolean);
      return { packages: [], warnings: [`${this.path}: Go build info present but unreadable${why ? ` (${why})` : ""}`] };
    }
    return { packages: [] };
  }
}
