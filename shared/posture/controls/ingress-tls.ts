import type { Control, Violation } from "../model.js";

export const ingressTls: Control = {
  id: "VANTAGE-K8S-INGRESS-TLS",
  title: "Ingresses must terminate TLS",
  severity: "medium",
  category: "Network",
  scope: "workload",
  rationale: "An Ingress without TLS serves its hosts over plain HTTP: credentials and session cookies cross the internet in clear text.",
  remediation: "Add a tls section with a certificate Secret for every host.",
  references: { cisAks: "5.4.5", kubescape: "C-0245", defender: "Kubernetes clusters should be accessible only over HTTPS" },
  evaluate: ({ snapshot }) => {
    if (!snapshot.ingresses.length) return { status: "not-applicable", reason: "no Ingress objects", passed: 0, failed: [] };
    let passed = 0;
    const failed: Violation[] = [];
    for (const ing of snapshot.ingresses) {
      const hosts = ing.rules.map((r) => r.host).filter((h): h is string => Boolean(h));
      const covered = new Set(ing.tls.flatMap((t) => t.hosts));
      const plain = ing.tls.length === 0 ? (hosts.length ? hosts : ["*"]) : hosts.filter((h) => !covered.has(h));
      if (!plain.length) {
        passed++;
        continue;
      }
      failed.push({
        resource: { kind: "Ingress", namespace: ing.meta.namespace, name: ing.meta.name },
        labels: ing.meta.labels,
        detail: `served without TLS: ${plain.join(", ")}`,
        fix: `spec:\n  tls:\n  - hosts: [${plain.filter((h) => h !== "*").join(", ") || "<host>"}]\n    secretName: ${ing.meta.name}-tls`,
      });
    }
    return { passed, failed };
  },
};
