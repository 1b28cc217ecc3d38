import type { Control, Violation } from "../model.js";
import { namespacesOf, SYSTEM_NAMESPACES } from "../namespaces.js";
import { userPermissionSets } from "../rbac-facts.js";

export const defaultServiceAccount: Control = {
  id: "VANTAGE-K8S-DEFAULT-SERVICE-ACCOUNT",
  title: "Default service accounts should not be used",
  severity: "medium",
  category: "Identity",
  scope: "namespace",
  rationale: "Every pod that names no service account runs as the namespace's default one; rights granted to it, and its automounted token, spread to all of them.",
  remediation: "Give workloads their own service accounts, bind no roles to default, and set automountServiceAccountToken: false on it.",
  references: { cisAks: "4.1.5", kubescape: "C-0189" },
  evaluate: ({ snapshot }) => {
    const sas = new Map(snapshot.serviceAccounts.map((s) => [`${s.meta.namespace}/${s.meta.name}`, s]));
    const bound = new Set<string>();
    for (const { ps } of userPermissionSets(snapshot))
      for (const s of ps.subjects) if (s.kind === "ServiceAccount" && s.name === "default") bound.add(`${s.namespace ?? ps.namespace ?? "default"}`);
    let passed = 0;
    let unseen = 0;
    const failed: Violation[] = [];
    for (const ns of namespacesOf(snapshot)) {
      if (SYSTEM_NAMESPACES.has(ns.name)) continue;
      const sa = sas.get(`${ns.name}/default`);
      const problems: string[] = [];
      if (bound.has(ns.name)) problems.push("roles are bound to it");
      if (sa ? sa.automountServiceAccountToken !== false : snapshot.source === "live") problems.push("its token is automounted");
      // Offline manifests rarely declare the default account Kubernetes creates: its settings are unknown, not passing.
      if (!problems.length && !sa && snapshot.source !== "live") {
        unseen++;
        continue;
      }
      if (!problems.length) {
        passed++;
        continue;
      }
      failed.push({
        resource: { kind: "ServiceAccount", namespace: ns.name, name: "default" },
        labels: sa?.meta.labels ?? {},
        detail: problems.join("; "),
        fix: `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: ${ns.name}\nautomountServiceAccountToken: false`,
      });
    }
    if (!passed && !failed.length && unseen) return { status: "not-assessed", reason: "the default service accounts are not in the manifests (Kubernetes creates them with the token automounted)", passed: 0, failed: [] };
    return { passed, failed };
  },
};
