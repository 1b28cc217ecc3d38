// Secret-looking values in the free text a snapshot keeps (container command and args, annotations)
// are replaced before the object is stored, with the detectors the image secret scanner uses: the
// rest of the text survives (a flag's name, a URL's host) and the marker names the rule, never the value.
import { redactSecrets } from "../../scanner/secrets/detectors.js";

/** `text` with every detected secret replaced by `[REDACTED:<rule>]`. */
export function redactText(text: string): string {
  return redactSecrets(text).text;
}

/** Each element redacted on its own: argv elements are separate strings to the process too. */
export function redactList(list: string[] | undefined): string[] | undefined {
  return list?.map(redactText);
}

/**
 * Annotation keys and values redacted. Keys too: offline manifests are not validated by an API
 * server, so a key may be anything.
 */
export function redactMap(map: Record<string, string>): Record<string, string> {
  let changed = false;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    const key = redactText(k);
    const value = redactText(v);
    if (key !== k || value !== v) changed = true;
    out[key] = value;
  }
  return changed ? out : map;
}

/**
 * The only annotations a Secret keeps: what the graph reads to tie a service-account token to its
 * ServiceAccount. Anything else on a Secret (tool state, copies of data, notes) is dropped.
 */
export const SECRET_ANNOTATION_ALLOW_LIST: readonly string[] = ["kubernetes.io/service-account.name", "kubernetes.io/service-account.uid"];

export function secretAnnotations(annotations: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SECRET_ANNOTATION_ALLOW_LIST) if (Object.hasOwn(annotations, key)) out[key] = annotations[key]!;
  return out;
}
