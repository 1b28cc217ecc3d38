// Go binaries carry their module graph: the linker writes a build-info blob that starts with
// "\xff Go buildinf:" (16-byte aligned), then pointer size and flags. Go >= 1.18 sets flag 0x2 and
// stores two varint-prefixed strings inline at +32 (toolchain version, module info); older
// toolchains store, at +16, two pointers to Go string headers {data, len} that must be mapped from
// virtual addresses to file offsets via the ELF/PE/Mach-O segment tables. The module info text is
// wrapped in 16-byte sentinels and has "path", "mod", "dep", "=>" (replacement) and "build" lines.
import type { Package } from "../model.js";
import { formatPurl } from "../purl.js";
import type { Cataloger, FileFacts } from "./types.js";
import { guardedSync, plausible, warnOnly } from "./util.js";

const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");
const MIN_SIZE = 1024;
export const MAX_GO_BINARY = 512 * 1024 * 1024;

type Mapper = (va: number, len: number) => Buffer | undefined;

function binaryKind(b: Buffer): "elf" | "pe" | "macho" | undefined {
  if (b.length < 64) return undefined;
  if (b.readUInt32BE(0) === 0x7f454c46) return "elf";
  if (b[0] === 0x4d && b[1] === 0x5a) return "pe";
  const m = b.readUInt32BE(0);
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(m)) return "macho";
  return undefined;
}

interface Segment {
  va: number;
  off: number;
  size: number;
}

function mapperFrom(b: Buffer, segs: Segment[]): Mapper {
  return (va, len) => {
    for (const s of segs) {
      if (va >= s.va && va + len <= s.va + s.size) {
        const o = s.off + (va - s.va);
        return o + len <= b.length ? b.subarray(o, o + len) : undefined;
      }
    }
    return undefined;
  };
}

function num(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
}

/** Segment tables for virtual-address mapping (only the pre-1.18 pointer format needs them). */
function segments(b: Buffer, kind: "elf" | "pe" | "macho"): Segment[] {
  const segs: Segment[] = [];
  if (kind === "elf") {
    const is64 = b[4] === 2;
    const le = b[5] !== 2;
    const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const u64 = (o: number) => num(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
    const phoff = is64 ? u64(32) : u32(28);
    const phentsize = u16(is64 ? 54 : 42);
    const phnum = Math.min(u16(is64 ? 56 : 44), 256);
    for (let i = 0; i < phnum; i++) {
      const p = phoff + i * phentsize;
      if (p < 0 || p + (is64 ? 56 : 32) > b.length) break;
      if (u32(p) !== 1) continue; // PT_LOAD
      segs.push(
        is64 ? { off: u64(p + 8), va: u64(p + 16), size: u64(p + 32) } : { off: u32(p + 4), va: u32(p + 8), size: u32(p + 16) },
      );
    }
  } else if (kind === "pe") {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 24 > b.length || b.readUInt32LE(pe) !== 0x00004550) return segs;
    const nsec = Math.min(b.readUInt16LE(pe + 6), 96);
    const optSize = b.readUInt16LE(pe + 20);
    const opt = pe + 24;
    if (opt + 32 > b.length) return segs;
    const magic = b.readUInt16LE(opt);
    const base = magic === 0x20b ? num(b.readBigUInt64LE(opt + 24)) : b.readUInt32LE(opt + 28);
    for (let i = 0; i < nsec; i++) {
      const s = opt + optSize + i * 40;
      if (s + 40 > b.length) break;
      segs.push({ va: base + b.readUInt32LE(s + 12), size: b.readUInt32LE(s + 16), off: b.readUInt32LE(s + 20) });
    }
  } else {
    const magic = b.readUInt32LE(0);
    const le = magic === 0xfeedface || magic === 0xfeedfacf;
    const is64 = magic === 0xfeedfacf || magic === 0xcffaedfe;
    const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const u64 = (o: number) => num(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
    const ncmds = Math.min(u32(16), 4096);
    let p = is64 ? 32 : 28;
    for (let i = 0; i < ncmds && p + 8 <= b.length; i++) {
      const cmd = u32(p);
      const size = u32(p + 4);
      if (size < 8) break;
      if (cmd === 0x19 && p + 56 <= b.length) segs.push({ va: u64(p + 24), off: u64(p + 40), size: u64(p + 48) });
      if (cmd === 0x1 && p + 40 <= b.length) segs.push({ va: u32(p + 24), off: u32(p + 32), size: u32(p + 36) });
      p += size;
    }
  }
  return segs.filter((s) => s.va >= 0 && s.off >= 0 && s.size > 0);
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

/** Returns {version, modinfo} from the build-info blob at `at`, or undefined. */
export function readBuildInfo(b: Buffer, at: number, kind?: "elf" | "pe" | "macho"): { version: string; modinfo: string } | undefined {
  if (at + 32 > b.length) return undefined;
  const ptrSize = b[at + 14]!;
  const flags = b[at + 15]!;
  let version: string | undefined;
  let modinfo: string | undefined;
  if (flags & 2) {
    const v = uvarint(b, at + 32);
    if (!v || v[1] + v[0] > b.length) return undefined;
    version = b.toString("utf8", v[1], v[1] + v[0]);
    const m = uvarint(b, v[1] + v[0]);
    if (!m || m[1] + m[0] > b.length) return undefined;
    modinfo = b.toString("utf8", m[1], m[1] + m[0]);
  } else {
    if ((ptrSize !== 4 && ptrSize !== 8) || !kind) return undefined;
    const be = (flags & 1) !== 0;
    const ptr = (x: Buffer, o: number) =>
      ptrSize === 8 ? num(be ? x.readBigUInt64BE(o) : x.readBigUInt64LE(o)) : be ? x.readUInt32BE(o) : x.readUInt32LE(o);
    const map = mapperFrom(b, segments(b, kind));
    const readString = (va: number): string | undefined => {
      const hdr = map(va, 2 * ptrSize);
      if (!hdr) return undefined;
      const data = ptr(hdr, 0);
      const len = ptr(hdr, ptrSize);
      if (len < 0 || len > 16 * 1024 * 1024) return undefined;
      if (len === 0) return "";
      return map(data, len)?.toString("utf8");
    };
    version = readString(ptr(b, at + 16));
    modinfo = readString(ptr(b, at + 16 + ptrSize));
  }
  if (version === undefined || modinfo === undefined) return undefined;
  // Strip the 16-byte sentinels around module info.
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === "\n") modinfo = modinfo.slice(16, -16);
  return { version, modinfo };
}

/** "go1.21.5" → "1.21.5", "go1.22" → "1.22.0", "go1.22rc1" → "1.22.0-rc1"; "devel …" → undefined. */
export function goStdlibVersion(toolchain: string): string | undefined {
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?((?:rc|beta)\d+)?/.exec(toolchain.trim());
  if (!m) return undefined;
  return `${m[1]}.${m[2]}.${m[3] ?? "0"}${m[4] ? "-" + m[4] : ""}`;
}

export function goPurl(module: string, version: string): string {
  const i = module.lastIndexOf("/");
  return i > 0
    ? formatPurl({ type: "golang", namespace: module.slice(0, i), name: module.slice(i + 1), version })
    : formatPurl({ type: "golang", name: module, version });
}

export function packagesFromModinfo(path: string, toolchain: string, modinfo: string): Package[] {
  const out: Package[] = [];
  const build: Record<string, string> = {};
  let mainPath: string | undefined;
  let last: Package | undefined;
  const mk = (mod: string, version: string, kind: string): Package => ({
    name: mod,
    version,
    type: "golang",
    purl: goPurl(mod, version),
    locations: [path],
    cataloger: "go",
    metadata: { kind, goToolchain: toolchain },
  });
  for (const line of modinfo.split("\n").slice(0, 20_000)) {
    const f = line.split("\t");
    if (f[0] === "path" && f[1]) mainPath = f[1];
    else if ((f[0] === "mod" || f[0] === "dep") && plausible(f[1], 1024) && plausible(f[2])) {
      last = mk(f[1], f[2], f[0] === "mod" ? "main" : "dependency");
      out.push(last);
    } else if (f[0] === "=>" && last && plausible(f[1], 1024)) {
      // A replacement: versioned ones replace the module; local directories keep the original.
      if (plausible(f[2])) {
        last.metadata!.replaces = `${last.name}@${last.version}`;
        last.name = f[1];
        last.version = f[2];
        last.purl = goPurl(f[1], f[2]);
      } else last.metadata!.replacedBy = f[1];
    } else if (f[0] === "build" && f[1]) {
      const eq = f[1].indexOf("=");
      const k = eq > 0 ? f[1].slice(0, eq) : "";
      if (["GOOS", "GOARCH", "vcs.revision", "vcs.time", "-ldflags"].includes(k)) build[k] = f[1].slice(eq + 1).slice(0, 512);
    }
  }
  const main = out.find((p) => p.metadata?.kind === "main");
  if (main) {
    if (mainPath) main.metadata!.mainPackage = mainPath;
    Object.assign(main.metadata!, build);
  }
  const std = goStdlibVersion(toolchain);
  if (std) out.push(mk("stdlib", std, "stdlib"));
  return out;
}

// runtime.modinfo keeps the module text between these sentinels even when the build-info header
// is gone (some release pipelines rewrite or strip .go.buildinfo, e.g. esbuild's npm binaries).
const SENTINEL_START = Buffer.from("3077af0c9274080241e1c107e6d618e6", "hex");
const SENTINEL_END = Buffer.from("f932433186182072008242104116d8f2", "hex");

function fromRuntimeModinfo(path: string, content: Buffer): FileFacts {
  let at = content.indexOf(SENTINEL_START);
  for (let tries = 0; at >= 0 && tries < 16; tries++) {
    const start = at + 16;
    const end = content.indexOf(SENTINEL_END, start);
    if (end < 0 || end - start > 16 * 1024 * 1024) break;
    const text = content.toString("utf8", start, end);
    if (/^(path|mod)\t/.test(text)) {
      // The toolchain version lives elsewhere (runtime.buildVersion), so no stdlib entry here.
      const packages = packagesFromModinfo(path, "unknown", text);
      return { packages, warnings: [`${path}: Go build-info header missing; modules read from runtime.modinfo, Go stdlib version unknown`] };
    }
    at = content.indexOf(SENTINEL_START, at + 1);
  }
  return { packages: [] };
}

export function parseGo(path: string, content: Buffer): FileFacts {
  const kind = binaryKind(content);
  if (!kind) return { packages: [] };
  let at = content.indexOf(MAGIC);
  if (at < 0) return fromRuntimeModinfo(path, content);
  // The magic may also appear as data (e.g. in tools that read build info); try a few hits.
  for (let tries = 0; at >= 0 && tries < 16; tries++) {
    const bi = readBuildInfo(content, at, kind);
    if (bi && /^(go\d|devel)/.test(bi.version)) {
      return { packages: packagesFromModinfo(path, bi.version.split(/\s/)[0]!, bi.modinfo) };
    }
    at = content.indexOf(MAGIC, at + 1);
  }
  return warnOnly(path, "Go build info present but unreadable");
}

export const goCataloger: Cataloger = {
  name: "go",
  matches: (_path, size, mode) => (mode & 0o111) !== 0 && size >= MIN_SIZE && size <= MAX_GO_BINARY,
  parse: (path, content) => guardedSync(path, "go", () => parseGo(path, content)),
};
