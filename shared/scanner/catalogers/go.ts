// Go binaries carry their module graph: the linker writes a build-info blob that starts with
// "\xff Go buildinf:" (16-byte aligned), then pointer size and flags. Go >= 1.18 sets flag 0x2 and
// stores two varint-prefixed strings inline at +32 (toolchain version, module info); older
// toolchains store, at +16, two pointers to Go string headers {data, len} that must be mapped from
// virtual addresses to file offsets via the ELF/PE/Mach-O segment tables. Binaries are read as
// streams of any size (go-scan.ts); whole buffers go through the same scan.
import { GoBuildInfoScan } from "./go-scan.js";
import type { Cataloger, FileFacts } from "./types.js";
import { warnOnly } from "./util.js";

export { goPurl, goStdlibVersion, packagesFromModinfo } from "./go-modinfo.js";

const MIN_SIZE = 1024;

/** A whole file in memory, read the way dir: reads files: only where the scan points. */
export function parseGo(path: string, content: Buffer): FileFacts {
  try {
    const scan = new GoBuildInfoScan(path, content.length, { randomAccess: true });
    for (let at = scan.want(), steps = 0; at >= 0 && at < content.length && steps < 1_000_000; at = scan.want(), steps++) {
      scan.write(content.subarray(at, Math.min(content.length, at + 256 * 1024)), at);
    }
    return scan.end();
  } catch (e) {
    return warnOnly(path, `go cataloger failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export const goCataloger: Cataloger = {
  name: "go",
  version: 2,
  // Any size: binaries are scanned as streams, never buffered whole.
  matches: (_path, size, mode) => (mode & 0o111) !== 0 && size >= MIN_SIZE,
  parse: (path, content) => parseGo(path, content),
  scan: (path, size, options) => new GoBuildInfoScan(path, size, options),
};
