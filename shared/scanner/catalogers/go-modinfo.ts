// Go module info text (the linker's "path", "mod", "dep", "=>" replacement and "build" lines) →
// packages. Where the text comes from is go-scan.ts's business.
import type { Package } from "../model.js";
import { formatPurl } from "../purl.js";
import { plausible } from "./util.js";

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

/** Module versions are canonical semver with a "v" (pseudo-versions included); a main module may be "(devel)". */
function goVersion(v: string | undefined, main: boolean): v is string {
  if (!plausible(v)) return false;
  return (main && v === "(devel)") || /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v);
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
    else if ((f[0] === "mod" || f[0] === "dep") && plausible(f[1], 1024) && goVersion(f[2], f[0] === "mod")) {
      last = mk(f[1], f[2], f[0] === "mod" ? "main" : "dependency");
      out.push(last);
    } else if (f[0] === "=>" && last && plausible(f[1], 1024)) {
      // A replacement: versioned ones replace the module; local directories keep the original.
      if (goVersion(f[2], false)) {
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
