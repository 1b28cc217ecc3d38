// Manifest text → raw objects. Multi-document YAML (Helm output: `---`, `# Source:` comments, empty
// documents), JSON, `kind: List` and typed `*List` kinds (`kubectl get -o json/yaml` output) are
// flattened into one object per Kubernetes resource, each tagged with where it came from.
import { LineCounter, parseAllDocuments } from "yaml";
import { InputError } from "../../errors.js";
import { isRecord } from "../normalize/fields.js";

export interface ManifestObject {
  raw: Record<string, unknown>;
  file: string;
  /** 1-based document number in the file. */
  document: number;
  /** Path of the object inside the document: "" or `items[3]`. */
  path: string;
  /** Kind implied by a typed list (`PodList` items may omit `kind`). */
  kindHint?: string;
}

/** Documents larger than this are refused rather than parsed (an accidental binary or dump). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export function where(file: string, document: number): string {
  return `${file}: document ${document}`;
}

export function parseManifestText(text: string, file: string): ManifestObject[] {
  if (text.length > MAX_FILE_BYTES) throw new InputError(`${file}: larger than ${MAX_FILE_BYTES} bytes`);
  const docs = file.toLowerCase().endsWith(".json") && /^\s*[[{]/.test(text) ? parseJson(text, file) : parseYaml(text, file);
  const out: ManifestObject[] = [];
  docs.forEach((doc, i) => flatten(doc, file, i + 1, "", undefined, out));
  return out;
}

function parseJson(text: string, file: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? [{ kind: "List", items: value }] : [value];
  } catch (err) {
    throw new InputError(`${where(file, 1)}: invalid JSON: ${(err as Error).message}`);
  }
}

function parseYaml(text: string, file: string): unknown[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { merge: true, prettyErrors: false, lineCounter: lines });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc, i) => {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
      const at = pos ? ` (line ${pos.line}, column ${pos.col})` : "";
      throw new InputError(`${where(file, i + 1)}: invalid YAML${at}: ${err.message.split("\n")[0]}`);
    }
    try {
      return doc.toJS({ maxAliasCount: 1000 }) as unknown;
    } catch (e) {
      throw new InputError(`${where(file, i + 1)}: invalid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
  });
}

function flatten(value: unknown, file: string, document: number, path: string, kindHint: string | undefined, out: ManifestObject[]): void {
  if (value === null || value === undefined) return; // empty document (Helm emits these)
  if (!isRecord(value)) throw new InputError(`${where(file, document)}${path ? `: ${path}` : ""}: expected a Kubernetes object (a mapping), got ${Array.isArray(value) ? "a list" : typeof value}`);
  const kind = typeof value.kind === "string" ? value.kind : kindHint;
  if (kind === undefined && Object.keys(value).length === 0) return;
  if (kind === "List" || (kind?.endsWith("List") && Array.isArray(value.items))) {
    const items = value.items ?? [];
    if (!Array.isArray(items)) throw new InputError(`${where(file, document)}: ${path ? `${path}.` : ""}items: expected a list`);
    const itemKind = kind === "List" ? undefined : kind.slice(0, -"List".length);
    items.forEach((item, i) => flatten(item, file, document, `${path ? `${path}.` : ""}items[${i}]`, itemKind, out));
    return;
  }
  out.push({ raw: value, file, document, path, kindHint: kindHint });
}
