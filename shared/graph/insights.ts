// Per-node security insights (Defender's "insights"). Kind strings, stable and documented:
//   exposed-to-internet          pod | node | cluster   reachable from the internet (evidence: endpoints/ports)
//   privileged-container         container              securityContext.privileged
//   host-network|host-pid|host-ipc  pod                 shares a host namespace
//   sensitive-host-path          volume                 hostPath of /, /etc, /proc, /var/lib/kubelet, a runtime socket, …
//   runs-as-root                 container              UID 0 (explicit, or no runAsUser/runAsNonRoot)
//   dangerous-capabilities       container              adds SYS_ADMIN, SYS_PTRACE, SYS_MODULE, NET_ADMIN, DAC_READ_SEARCH, …
//   automounted-token-with-powerful-rbac  pod           token mounted and its identity can exec/create pods, read secrets, bind, impersonate, or is admin
//   high-severity-vulnerabilities container             image has critical/high findings
//   vulnerable-to-rce            container              image has a remote-code-execution finding
//   known-exploited              container              image has a finding in CISA KEV
import type { GraphContext, PermissionSetView } from "./context.js";
import { DANGEROUS_CAPABILITIES, hostPathConcern, runsAsRoot } from "../kubernetes/pod-security.js";
import type { Insight } from "./model.js";
import { grantIn, grantIsEmpty } from "./rbac.js";

export { DANGEROUS_CAPABILITIES };

/** What makes an identity's RBAC "powerful": a short list of the abilities found. */
export function powerfulAbilities(ps: PermissionSetView): string[] {
  const ns = ps.namespace ?? "default";
  const out: string[] = [];
  if (ps.clusterAdmin) out.push("cluster-admin");
  const rbac = "rbac.authorization.k8s.io";
  const checks: [string, string, string, string, string?][] = [
    ["create pods", "create", "", "pods"], ["exec into pods", "create", "", "pods", "exec"], ["patch pods", "patch", "", "pods"],
    ["read secrets", "get", "", "secrets"], ["list secrets", "list", "", "secrets"], ["impersonate", "impersonate", "", "users"],
    ["impersonate groups", "impersonate", "", "groups"], ["bind roles", "bind", rbac, "clusterroles"], ["escalate roles", "escalate", rbac, "clusterroles"],
    ["bind roles", "bind", rbac, "roles"], ["create service account tokens", "create", "", "serviceaccounts", "token"],
  ];
  for (const [label, verb, group, res, sub] of checks) if (!grantIsEmpty(grantIn(ps, ns, verb, group, res, sub)) && !out.includes(label)) out.push(label);
  return out;
}

export function computeInsights(ctx: GraphContext): Insight[] {
  const out: Insight[] = [];
  const c = ctx.snapshot.cluster;
  if (c?.publicApiServer) {
    out.push({ kind: "exposed-to-internet", node: ctx.clusterId, severity: "medium", evidence: `API server is public${c.authorizedIpRanges?.length ? ` (authorized ranges ${c.authorizedIpRanges.join(",")})` : " with no authorized IP ranges"}` });
  }
  for (const n of ctx.nodes.values()) {
    const listeners = (ctx.podsByNode.get(n.id) ?? []).filter((p) => p.info.hostNetwork || p.containers.some((ct) => ct.info.ports?.some((x) => x.hostPort)));
    if (n.external) out.push({ kind: "exposed-to-internet", node: n.id, severity: listeners.length ? "high" : "medium", evidence: `${n.externalEvidence.join("; ")}${listeners.length ? `; host listeners in ${listeners.map((p) => p.id).join(", ")}` : ""}` });
  }
  const endpointById = new Map(ctx.endpoints.map((e) => [e.id, e]));
  for (const p of ctx.pods) {
    const info = p.info;
    const exposedPorts = p.exposedBy.map((id) => endpointById.get(id)).filter(Boolean).map((e) => `${e!.id} (${e!.protocol}/${e!.port}; ${e!.exposure.join("+")})`);
    if (info.hostNetwork && p.node.external) exposedPorts.push(`host network on ${p.node.id} (${p.node.externalEvidence.join("; ")})`);
    if (exposedPorts.length) out.push({ kind: "exposed-to-internet", node: p.id, severity: "high", evidence: exposedPorts.join(", ") });
    if (info.hostNetwork) out.push({ kind: "host-network", node: p.id, severity: "high", evidence: "hostNetwork: true" });
    if (info.hostPID) out.push({ kind: "host-pid", node: p.id, severity: "high", evidence: "hostPID: true" });
    if (info.hostIPC) out.push({ kind: "host-ipc", node: p.id, severity: "medium", evidence: "hostIPC: true" });
    if (p.tokenAutomounted || p.containers.some((ct) => ct.tokenMounted)) {
      const abilities = new Set<string>();
      for (const ps of ctx.permissionSetsBySubject.get(p.serviceAccountId) ?? []) for (const a of powerfulAbilities(ps)) abilities.add(a);
      if (abilities.size) out.push({ kind: "automounted-token-with-powerful-rbac", node: p.id, severity: abilities.has("cluster-admin") ? "critical" : "high", evidence: `${p.serviceAccountId} can ${[...abilities].join(", ")}` });
    }
    for (const v of p.volumes) {
      if (!v.hostPath) continue;
      const concern = hostPathConcern(v.hostPath);
      const socket = concern === "runtime-socket";
      if (concern) {
        const writable = v.mounts.some((m) => !m.readOnly);
        out.push({ kind: "sensitive-host-path", node: v.id, severity: writable || socket ? "high" : "medium", evidence: `hostPath ${v.hostPath}${writable ? " mounted writable" : " mounted read-only"}` });
      }
    }
    for (const ct of p.containers) {
      if (ct.privileged) out.push({ kind: "privileged-container", node: ct.id, severity: "high", evidence: "securityContext.privileged: true" });
      if (runsAsRoot(info, ct.info)) {
        const uid = ct.info.securityContext?.runAsUser ?? info.securityContext?.runAsUser;
        out.push({ kind: "runs-as-root", node: ct.id, severity: "low", evidence: uid === 0 ? "runAsUser: 0" : "no runAsUser/runAsNonRoot: the image's user (root by default) applies" });
      }
      const caps = [...ct.caps].filter((x) => DANGEROUS_CAPABILITIES.includes(x) && !(ct.privileged && x === "ALL"));
      if (caps.length) out.push({ kind: "dangerous-capabilities", node: ct.id, severity: caps.some((x) => ["ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE"].includes(x)) ? "high" : "medium", evidence: `capabilities.add: ${caps.join(", ")}` });
      const v = ct.vulns;
      if (!v) continue;
      if (v.counts.critical + v.counts.high > 0) out.push({ kind: "high-severity-vulnerabilities", node: ct.id, severity: v.counts.critical ? "critical" : "high", evidence: `${ct.imageRef}: ${v.counts.critical} critical, ${v.counts.high} high` });
      const list = [...v.vulns.values()];
      if (v.rce) out.push({ kind: "vulnerable-to-rce", node: ct.id, severity: "high", evidence: list.filter((x) => x.rce).map((x) => x.id).slice(0, 10).join(", ") });
      if (v.knownExploited) out.push({ kind: "known-exploited", node: ct.id, severity: "critical", evidence: list.filter((x) => x.knownExploited).map((x) => x.id).slice(0, 10).join(", ") });
    }
  }
  return out;
}
