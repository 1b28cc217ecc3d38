// Port allow-lists, the setting behind the Service ports control: entries are single ports ("443")
// or inclusive ranges ("8000-8099"). Parsing is strict: a typo must not silently allow or deny ports.
import { InputError } from "../errors.js";

export interface PortRange {
  from: number;
  to: number;
}

const ENTRY = /^(\d{1,5})(?:-(\d{1,5}))?$/;

function port(text: string, entry: string, setting: string): number {
  const n = Number(text);
  if (n < 1 || n > 65535) throw new InputError(`${setting}: "${entry}" is not a port (1-65535)`);
  return n;
}

/** Parses the entries of an allow-list; `setting` names it in errors (e.g. "--allowed-service-ports"). */
export function parsePortList(entries: readonly string[], setting: string): PortRange[] {
  return entries.map((raw) => {
    const entry = raw.trim();
    const m = ENTRY.exec(entry);
    if (!m) throw new InputError(`${setting}: "${entry}" is not a port or a range (e.g. 443 or 8000-8099)`);
    const from = port(m[1]!, entry, setting);
    const to = m[2] === undefined ? from : port(m[2], entry, setting);
    if (to < from) throw new InputError(`${setting}: range "${entry}" ends before it starts`);
    return { from, to };
  });
}

export function portAllowed(p: number, ranges: readonly PortRange[]): boolean {
  return ranges.some((r) => p >= r.from && p <= r.to);
}

/**
 * The allowed ports not in `taken`, lowest first. One ascending walk over the sorted ranges, so
 * taking n ports costs O(n + taken) however many ports a (hostile) Service lists.
 */
export function* freeAllowedPorts(ranges: readonly PortRange[], taken: ReadonlySet<number>): Generator<number> {
  let next = 1; // ranges may overlap: never yield a port twice
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    for (let p = Math.max(r.from, next); p <= r.to; p++) if (!taken.has(p)) yield p;
    next = Math.max(next, r.to + 1);
  }
}

export function formatPortList(ranges: readonly PortRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(", ");
}
