// Namespaces a cluster has: declared Namespace objects plus every namespace an object lives in.
import type { Snapshot } from "../kubernetes/model.js";

/** Namespaces Kubernetes and AKS manage themselves. */
export const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease", "gatekeeper-system", "calico-system", "tigera-operator"]);

export function namespacesOf(snapshot: Snapshot): { name: string; labels: Record<string, string> }[] {
  const out = new Map<string, Record<string, string>>();
  for (const n of snapshot.namespaces) out.set(n.meta.name, n.meta.labels);
  const add = (ns: string | undefined) => ns && !out.has(ns) && out.set(ns, {});
  for (const p of snapshot.pods) add(p.meta.namespace ?? "default");
  for (const s of snapshot.services) add(s.meta.namespace);
  for (const s of snapshot.serviceAccounts) add(s.meta.namespace);
  return [...out].map(([name, labels]) => ({ name, labels })).sort((a, b) => a.name.localeCompare(b.name));
}
