// A path-tracking reader over untyped Kubernetes JSON. Unknown fields are ignored; a known field of
// the wrong shape is a ShapeError naming its path (e.g. `spec.containers[0].image`), which the
// manifests reader prefixes with the file and document index.
import { InputError } from "../../errors.js";

export type Raw = Record<string, unknown>;

export class ShapeError extends InputError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem, "BadManifest");
  }
}

export function isRecord(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}

export class Reader {
  constructor(
    readonly value: Raw,
    readonly path: string = "",
  ) {}

  static of(value: unknown, path = ""): Reader {
    if (value === undefined || value === null) return new Reader({}, path);
    if (!isRecord(value)) throw new ShapeError(path, `expected a mapping, got ${describe(value)}`);
    return new Reader(value, path);
  }

  at(key: string | number): string {
    if (typeof key === "number") return `${this.path}[${key}]`;
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  /** A nested mapping; absent reads as empty. */
  obj(key: string): Reader {
    return Reader.of(this.value[key], this.at(key));
  }

  optObj(key: string): Reader | undefined {
    return this.has(key) ? this.obj(key) : undefined;
  }

  /** A list of mappings, each read by `fn`; absent reads as empty. */
  each<T>(key: string, fn: (item: Reader, index: number) => T): T[] {
    const items = this.list(key);
    return items.map((item, i) => fn(Reader.of(item, `${this.at(key)}[${i}]`), i));
  }

  list(key: string): unknown[] {
    const v = this.value[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new ShapeError(this.at(key), `expected a list, got ${describe(v)}`);
    return v;
  }

  str(key: string): string {
    const v = this.optStr(key);
    if (v === undefined || v === "") throw new ShapeError(this.at(key), "required string is missing");
    return v;
  }

  optStr(key: string): string | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    throw new ShapeError(this.at(key), `expected a string, got ${describe(v)}`);
  }

  /** Integer-or-string fields (targetPort, port names). */
  intOrStr(key: string): number | string | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string" || (typeof v === "number" && Number.isInteger(v))) return v;
    throw new ShapeError(this.at(key), `expected an integer or a string, got ${describe(v)}`);
  }

  optNum(key: string): number | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "number" && Number.isFinite(v)) return v;
    throw new ShapeError(this.at(key), `expected a number, got ${describe(v)}`);
  }

  num(key: string): number {
    const v = this.optNum(key);
    if (v === undefined) throw new ShapeError(this.at(key), "required number is missing");
    return v;
  }

  optBool(key: string): boolean | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    throw new ShapeError(this.at(key), `expected true or false, got ${describe(v)}`);
  }

  strList(key: string): string[] {
    return this.list(key).map((v, i) => {
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      throw new ShapeError(`${this.at(key)}[${i}]`, `expected a string, got ${describe(v)}`);
    });
  }

  optStrList(key: string): string[] | undefined {
    return this.has(key) ? this.strList(key) : undefined;
  }

  /** Labels, annotations, selectors: YAML scalars that lost their quotes are read back as strings. */
  strMap(key: string): Record<string, string> {
    const r = this.obj(key);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.value)) {
      if (v === null || v === undefined) out[k] = "";
      else if (typeof v === "string") out[k] = v;
      else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
      else throw new ShapeError(r.at(k), `expected a string, got ${describe(v)}`);
    }
    return out;
  }
}

/** Drops undefined properties so snapshots (and their hashes) have one canonical shape. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
