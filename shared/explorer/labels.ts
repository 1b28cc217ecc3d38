// Node labels: a node kind (case-insensitive, `:Pod`, `:PermissionSet`, `:CloudIdentity`) or a
// pseudo-label computed from the report rather than stored on the node. Unknown labels are an error:
// in a security query a typo that silently matches nothing is worse than a refusal.
import { InputError } from "../errors.js";
import type { NodeKind } from "../graph/model.js";
import type { SourcePos } from "./model.js";

export const NODE_KINDS: readonly NodeKind[] = [
  "cluster", "namespace", "node", "pod", "container", "volume", "endpoint", "service", "ingress",
  "workload", "identity", "permissionset", "image", "vulnerability", "cloudidentity", "secret", "secretfinding",
];

/** Pseudo-labels: `HasInsight` (any insight on the node), `ChokePoint`, `OnAttackPath`. */
export type PseudoLabel = "hasinsight" | "chokepoint" | "onattackpath";
const PSEUDO: readonly PseudoLabel[] = ["hasinsight", "chokepoint", "onattackpath"];

export type ResolvedLabel = { kind: NodeKind } | { pseudo: PseudoLabel };

export function resolveLabel(label: string, at?: SourcePos): ResolvedLabel {
  const lower = label.toLowerCase();
  if ((NODE_KINDS as readonly string[]).includes(lower)) return { kind: lower as NodeKind };
  if ((PSEUDO as readonly string[]).includes(lower)) return { pseudo: lower as PseudoLabel };
  const where = at ? `line ${at.line}, column ${at.column}: ` : "";
  throw new InputError(
    `${where}unknown label :${label} (hint: labels are node kinds — ${NODE_KINDS.join(", ")} — or HasInsight, ChokePoint, OnAttackPath)`,
  );
}
