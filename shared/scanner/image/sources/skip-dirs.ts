// Which directories a dir: walk leaves out: user globs (`--skip-dirs`) and, on a live host, the
// kernel's virtual filesystems (/proc, /sys, /dev, cgroups, …), whose files are not installed software
// and some of which cannot be listed even by root (/proc/*/map_files). Pure.

/** Filesystem types that hold no installed files (as named in /proc/self/mountinfo). */
export const VIRTUAL_FS_TYPES: ReadonlySet<string> = new Set([
  "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "pstore",
  "bpf", "configfs", "fusectl", "mqueue", "hugetlbfs", "autofs", "binfmt_misc", "efivarfs", "nsfs",
  "rpc_pipefs", "selinuxfs", "overlay-proc",
]);

/** Skipped when the walk starts at "/" even if mountinfo is unreadable: Trivy and Syft do the same. */
export const HOST_VIRTUAL_DIRS = ["proc", "sys", "dev"];

/** "a/**\/b*" → RegExp over a root-relative path with "/" separators; "**" crosses directories. */
export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/^\.?\/+/, "").replace(/\/+$/, "");
  if (g === "") g = "**";
  let re = "";
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === "*") {
      if (g[i + 1] === "*") {
        i++;
        if (g[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = g.indexOf("]", i + 1);
      if (end > i + 1) {
        const body = g.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
        re += `[${body}]`;
        i = end;
      } else re += "\\[";
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export class DirectorySkipper {
  private readonly patterns: RegExp[];
  private readonly exact: Set<string>;
  constructor(globs: readonly string[], exactDirs: readonly string[] = []) {
    this.patterns = globs.filter((g) => g.trim() !== "").map(globToRegExp);
    this.exact = new Set(exactDirs);
  }
  /** `rel` is the directory's path relative to the walk root ("usr/lib"). */
  skips(rel: string): boolean {
    return this.exact.has(rel) || this.patterns.some((p) => p.test(rel));
  }
}

/** Mount points of virtual filesystems at or below `root`, relative to it ("proc", "sys/fs/cgroup"). */
export function virtualMountsUnder(mountinfo: string, root: string): string[] {
  const out: string[] = [];
  const base = root.endsWith("/") ? root : `${root}/`;
  for (const line of mountinfo.split("\n")) {
    // "id parent major:minor root mountpoint options [optional…] - fstype source superoptions"
    const sep = line.indexOf(" - ");
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(" ");
    const fstype = line.slice(sep + 3).split(" ")[0];
    const mountPoint = unescapeMount(left[4] ?? "");
    if (!fstype || !VIRTUAL_FS_TYPES.has(fstype)) continue;
    if (mountPoint === root || mountPoint === "/") continue;
    if (mountPoint.startsWith(base)) out.push(mountPoint.slice(base.length));
  }
  return [...new Set(out)].sort();
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040). */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}
