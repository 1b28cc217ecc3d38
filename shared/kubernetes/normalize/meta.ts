// Object metadata and label selectors.
import type { LabelSelector, LabelSelectorRequirement, ObjectMeta } from "../model.js";
import { compact, Reader, ShapeError } from "./fields.js";
import { redactMap } from "./redact.js";

/** kubectl apply stores the whole applied object here; for a Secret that includes its data. */
export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** Annotations as a snapshot may keep them: no last-applied copy, secret-looking values redacted. */
export function safeAnnotations(annotations: Record<string, string>): Record<string, string> {
  if (!(LAST_APPLIED_ANNOTATION in annotations)) return redactMap(annotations);
  const { [LAST_APPLIED_ANNOTATION]: _dropped, ...rest } = annotations;
  return redactMap(rest);
}

export function readMeta(r: Reader, opts: { namespaced: boolean; nameOptional?: boolean }): ObjectMeta {
  const m = r.obj("metadata");
  const name = opts.nameOptional ? (m.optStr("name") ?? "") : m.str("name");
  const namespace = opts.namespaced ? m.optStr("namespace") || "default" : undefined;
  return compact({
    name,
    namespace,
    uid: m.optStr("uid"),
    resourceVersion: m.optStr("resourceVersion"),
    creationTimestamp: m.optStr("creationTimestamp"),
    labels: m.strMap("labels"),
    annotations: safeAnnotations(m.strMap("annotations")),
    ownerReferences: m.each("ownerReferences", (o) =>
      compact({ kind: o.str("kind"), name: o.str("name"), uid: o.optStr("uid"), controller: o.optBool("controller") }),
    ),
  });
}

const OPERATORS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

export function readSelector(r: Reader | undefined): LabelSelector | undefined {
  if (!r) return undefined;
  const matchLabels = r.has("matchLabels") ? r.strMap("matchLabels") : undefined;
  const matchExpressions = r.has("matchExpressions")
    ? r.each("matchExpressions", (e): LabelSelectorRequirement => {
        const operator = e.str("operator");
        if (!OPERATORS.has(operator)) throw new ShapeError(e.at("operator"), `unknown operator "${operator}"`);
        return compact({ key: e.str("key"), operator: operator as LabelSelectorRequirement["operator"], values: e.optStrList("values") });
      })
    : undefined;
  return compact({ matchLabels, matchExpressions });
}
