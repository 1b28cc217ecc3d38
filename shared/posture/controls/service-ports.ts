import type { ServiceInfo } from "../../kubernetes/model.js";
import type { Control, Violation } from "../model.js";
import { SYSTEM_NAMESPACES } from "../namespaces.js";
import { toYaml } from "../patch-yaml.js";
import { formatPortList, freeAllowedPorts, parsePortList, portAllowed, type PortRange } from "../ports.js";

/**
 * Whether anything listens on the Service's ports. An ExternalName Service is a DNS alias and a
 * headless one (clusterIP: None) has no virtual IP: clients reach the pods or the external name
 * directly, so their ports open nothing. The API server's own `default/kubernetes` Service and
 * Services in the namespaces AKS manages are AKS's choice, not the cluster owner's.
 */
function judged(s: ServiceInfo): boolean {
  if (s.type === "ExternalName" || s.clusterIP === "None") return false;
  const ns = s.meta.namespace ?? "default";
  if (SYSTEM_NAMESPACES.has(ns)) return false;
  return !(ns === "default" && s.meta.name === "kubernetes");
}

/**
 * A strategic-merge patch for the Service (ports merge by port number): each disallowed port is
 * deleted and, while allowed ports are free, re-added on one with the same name, protocol and
 * targetPort, so the pods behind it keep receiving the traffic. Clients must then use the new port.
 */
function movePortsPatch(s: ServiceInfo, bad: ServiceInfo["ports"], allowed: readonly PortRange[]): string {
  const free = freeAllowedPorts(allowed, new Set(s.ports.map((p) => p.port)));
  const ports: Record<string, unknown>[] = bad.map((p) => ({ port: p.port, $patch: "delete" }));
  for (const p of bad) {
    const to = free.next();
    if (to.done) break;
    ports.push({ ...(p.name ? { name: p.name } : {}), port: to.value, targetPort: p.targetPort ?? p.port, protocol: p.protocol });
  }
  return toYaml({ spec: { ports } });
}

export const servicePorts: Control = {
  id: "VANTAGE-K8S-SERVICE-PORTS",
  title: "Services should listen only on allowed ports",
  severity: "medium",
  category: "Network",
  scope: "workload",
  rationale: "Every Service port is reachable by every pod (and, for LoadBalancer and NodePort Services, from outside the cluster); ports outside an agreed list are usually forgotten debug or admin endpoints.",
  remediation: "Move the Service to an allowed port (or remove the port); configure the allow-list with VANTAGE_ALLOWED_SERVICE_PORTS or --allowed-service-ports.",
  references: { defender: "Services should listen on allowed ports only" },
  evaluate: ({ snapshot, options }) => {
    const entries = options.allowedServicePorts ?? [];
    if (!entries.length) return { status: "not-assessed", reason: "no allowed Service port list is configured", passed: 0, failed: [] };
    const allowed = parsePortList(entries, "allowed Service ports");
    const listed = formatPortList(allowed);
    let passed = 0;
    const failed: Violation[] = [];
    for (const s of snapshot.services) {
      if (!judged(s)) continue;
      const bad = s.ports.filter((p) => !portAllowed(p.port, allowed));
      if (!bad.length) {
        passed++;
        continue;
      }
      failed.push({
        resource: { kind: "Service", namespace: s.meta.namespace ?? "default", name: s.meta.name },
        labels: s.meta.labels,
        detail: `port ${bad.map((p) => `${p.port}/${p.protocol}`).join(", ")} not in the allowed list (${listed})`,
        fix: movePortsPatch(s, bad, allowed),
      });
    }
    return { passed, failed };
  },
};
