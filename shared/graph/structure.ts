// Graph nodes (with the properties the explorer filters on) and the structural relations, in
// Defender's vocabulary: CONTAINS, IS_RUNNING, MAINTAINS, ROUTES_TRAFFIC_TO, USES_IDENTITY,
// MOUNTS, BINDS. Structural edges describe the estate; path search never walks them.
import type { GraphContext } from "./context.js";
import { isSensitiveHostPath } from "./edges/helpers.js";
import { ids } from "./ids.js";
import type { GraphEdge, GraphNode } from "./model.js";
import { describeRules } from "./rbac.js";

export const STRUCTURAL_KINDS = ["CONTAINS", "IS_RUNNING", "MAINTAINS", "ROUTES_TRAFFIC_TO", "USES_IDENTITY", "MOUNTS", "BINDS"] as const;

export function buildStructure(ctx: GraphContext): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const add = (n: GraphNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
  };
  const rel = (kind: string, from: string, to: string) => edges.push({ kind, from, to });
  const snap = ctx.snapshot;
  const c = snap.cluster ?? { name: ctx.clusterName };

  add({
    id: ctx.clusterId, kind: "cluster", name: ctx.clusterName,
    properties: clean({
      source: snap.source, publicApiServer: c.publicApiServer, privateCluster: c.privateCluster, authorizedIpRanges: c.authorizedIpRanges,
      azureRbac: c.azureRbac, localAccountsDisabled: c.localAccountsDisabled, workloadIdentityEnabled: c.workloadIdentityEnabled,
      kubernetesVersion: c.kubernetesVersion, fqdn: c.fqdn, partial: snap.partial,
    }),
  });
  const namespaces = new Set<string>(snap.namespaces.map((n) => n.meta.name));
  for (const p of ctx.pods) namespaces.add(p.namespace);
  for (const s of ctx.services) namespaces.add(s.info.meta.namespace ?? "default");
  for (const id of ctx.identities.values()) if (id.namespace) namespaces.add(id.namespace);
  for (const s of ctx.secrets.values()) namespaces.add(s.namespace);
  for (const ns of [...namespaces].sort()) {
    add({ id: ids.namespace(ns), kind: "namespace", name: ns, properties: { declared: snap.namespaces.some((n) => n.meta.name === ns) } });
    rel("CONTAINS", ctx.clusterId, ids.namespace(ns));
  }
  for (const n of ctx.nodes.values()) {
    add({
      id: n.id, kind: "node", name: n.name,
      properties: clean({
        external: n.external, externalEvidence: n.externalEvidence, controlPlane: n.controlPlane, synthetic: n.synthetic,
        externalIps: n.info?.addresses.filter((a) => a.type === "ExternalIP").map((a) => a.address),
        kubeletVersion: n.info?.kubeletVersion, osImage: n.info?.osImage,
        pool: n.info?.meta.labels?.["kubernetes.azure.com/agentpool"] ?? n.info?.meta.labels?.["agentpool"],
        pods: ctx.podsByNode.get(n.id)?.length ?? 0,
      }),
    });
    rel("CONTAINS", ctx.clusterId, n.id);
  }
  for (const w of snap.workloads) {
    const ns = w.meta.namespace ?? "default";
    add({ id: ids.workload(ns, w.kind, w.meta.name), kind: "workload", name: w.meta.name, namespace: ns, properties: clean({ kind: w.kind, replicas: w.replicas, serviceAccount: w.serviceAccountName }) });
    rel("CONTAINS", ids.namespace(ns), ids.workload(ns, w.kind, w.meta.name));
  }
  for (const p of ctx.pods) {
    const info = p.info;
    add({
      id: p.id, kind: "pod", name: p.name, namespace: p.namespace,
      properties: clean({
        namespace: p.namespace, node: p.node.name, serviceAccount: info.serviceAccountName || "default", hostNetwork: info.hostNetwork,
        hostPID: info.hostPID, hostIPC: info.hostIPC, shareProcessNamespace: info.shareProcessNamespace, exposed: p.exposedBy.length > 0 || (info.hostNetwork && p.node.external),
        exposedBy: p.exposedBy, tokenAutomounted: p.tokenAutomounted, workloadKind: info.workload?.kind, workload: info.workload?.name, phase: info.phase,
        labels: Object.entries(info.meta.labels ?? {}).map(([k, v]) => `${k}=${v}`), isolatedByNetworkPolicy: p.isolation.selected && !p.isolation.internetAllowed,
      }),
    });
    rel("CONTAINS", ids.namespace(p.namespace), p.id);
    rel("IS_RUNNING", p.node.id, p.id);
    rel("USES_IDENTITY", p.id, p.serviceAccountId);
    if (info.workload) {
      const wid = ids.workload(p.namespace, info.workload.kind, info.workload.name);
      if (!nodes.has(wid)) add({ id: wid, kind: "workload", name: info.workload.name, namespace: p.namespace, properties: { kind: info.workload.kind, declared: false } });
      rel("MAINTAINS", wid, p.id);
    }
    for (const v of p.volumes) {
      const inf = v.info;
      add({
        id: v.id, kind: "volume", name: v.name, namespace: p.namespace,
        properties: clean({
          type: inf.type, hostPath: v.hostPath, sensitive: v.hostPath ? isSensitiveHostPath(v.hostPath) : undefined,
          readOnly: v.mounts.length > 0 ? v.mounts.every((m) => m.readOnly) : undefined, secretNames: v.secretNames.length ? v.secretNames : undefined,
          configMap: inf.configMapName, claimName: inf.claimName, token: v.token, synthetic: v.synthetic, pod: p.name,
        }),
      });
      rel("CONTAINS", p.id, v.id);
    }
    for (const ct of p.containers) {
      const sc = ct.info.securityContext ?? {};
      const vulns = ct.vulns;
      add({
        id: ct.id, kind: "container", name: ct.name, namespace: p.namespace,
        properties: clean({
          pod: p.name, namespace: p.namespace, node: p.node.name, image: ct.info.image, imageRef: ct.imageRef, imageDigest: ct.info.imageDigest,
          containerKind: ct.info.kind, privileged: ct.privileged, runAsRoot: ct.runsAsRoot, capabilities: [...ct.caps].sort(),
          allowPrivilegeEscalation: sc.allowPrivilegeEscalation, readOnlyRootFilesystem: sc.readOnlyRootFilesystem,
          ports: (ct.info.ports ?? []).map((x) => x.containerPort), hostPorts: (ct.info.ports ?? []).filter((x) => x.hostPort).map((x) => x.hostPort!),
          tokenMounted: ct.tokenMounted, exposed: p.exposedBy.length > 0 || (p.info.hostNetwork && p.node.external),
          critical: vulns?.counts.critical ?? 0, high: vulns?.counts.high ?? 0, knownExploited: vulns?.knownExploited ?? false, rce: vulns?.rce ?? false,
          scanned: Boolean(vulns),
        }),
      });
      rel("CONTAINS", p.id, ct.id);
      for (const vid of new Set(ct.mounts.map((m) => m.volume.id))) rel("MOUNTS", ct.id, vid);
      if (!nodes.has(ct.imageId)) {
        add({
          id: ct.imageId, kind: "image", name: ct.imageRef,
          properties: clean({
            ref: ct.imageRef, digest: ct.info.imageDigest ?? vulns?.digest, scanned: Boolean(vulns),
            critical: vulns?.counts.critical ?? 0, high: vulns?.counts.high ?? 0, medium: vulns?.counts.medium ?? 0, low: vulns?.counts.low ?? 0,
            knownExploited: vulns?.knownExploited ?? false, rce: vulns?.rce ?? false, vulnerabilities: vulns?.vulns.size ?? 0,
            secrets: vulns?.secrets.length ?? 0,
          }),
        });
        for (const s of vulns?.secrets ?? []) {
          add({
            id: ids.secretFinding(ct.imageRef, s.layerDigest, s.path, s.rule, s.fingerprint), kind: "secretfinding", name: `${s.rule} in /${s.path}`,
            properties: clean({
              image: ct.imageRef, rule: s.rule, title: s.title, severity: s.severity, path: s.path, line: s.line, layerDigest: s.layerDigest,
              layerIndex: s.layerIndex, deleted: s.deleted, deletedIn: s.deletedIn, fingerprint: s.fingerprint, hint: s.hint,
            }),
          });
        }
        for (const v of vulns?.vulns.values() ?? []) {
          add({
            id: ids.vulnerability(v.id), kind: "vulnerability", name: v.id,
            properties: clean({ severity: v.severity, cvss: v.cvss, knownExploited: v.knownExploited, epss: v.epss, rce: v.rce, packages: v.packages }),
          });
        }
      }
      rel("IS_RUNNING", ct.id, ct.imageId);
    }
  }
  for (const s of ctx.services) {
    const ns = s.info.meta.namespace ?? "default";
    add({
      id: s.id, kind: "service", name: s.info.meta.name, namespace: ns,
      properties: clean({
        type: s.info.type, internal: s.info.internal, exposed: s.exposure.exposed, exposure: s.exposure.via, evidence: s.exposure.evidence,
        sourceRanges: s.info.loadBalancerSourceRanges, ports: s.info.ports.map((p) => p.port),
      }),
    });
    rel("CONTAINS", ids.namespace(ns), s.id);
    for (const p of s.pods) rel("ROUTES_TRAFFIC_TO", s.id, p.id);
    for (const ep of s.endpoints) rel("CONTAINS", s.id, ep.id);
  }
  for (const ep of ctx.endpoints) {
    add({
      id: ep.id, kind: "endpoint", name: `${ep.owner}:${ep.portName}`, namespace: ep.namespace,
      properties: clean({ namespace: ep.namespace, owner: ep.owner, ownerKind: ep.ownerKind, port: ep.port, portName: ep.portName, protocol: ep.protocol, exposed: ep.exposed, exposure: ep.exposure, evidence: ep.evidence }),
    });
    if (ep.ownerKind === "pod") rel("CONTAINS", ep.ownerId, ep.id);
  }
  for (const ing of ctx.ingresses) {
    const ns = ing.info.meta.namespace ?? "default";
    add({
      id: ing.id, kind: "ingress", name: ing.info.meta.name, namespace: ns,
      properties: clean({ className: ing.info.ingressClassName, hosts: ing.info.rules.map((r) => r.host ?? "*"), exposed: ing.exposure.exposed, evidence: ing.exposure.evidence, tls: ing.info.tls.length > 0 }),
    });
    rel("CONTAINS", ids.namespace(ns), ing.id);
    for (const s of ing.services) rel("ROUTES_TRAFFIC_TO", ing.id, s.id);
  }
  for (const id of ctx.identities.values()) {
    add({
      id: id.id, kind: "identity", name: id.name, namespace: id.namespace,
      properties: clean({
        type: id.type, namespace: id.namespace, synthetic: id.synthetic, automountServiceAccountToken: id.info?.automountServiceAccountToken,
        workloadIdentityClientId: id.info?.workloadIdentity?.clientId,
        clusterAdmin: (ctx.permissionSetsBySubject.get(id.id) ?? []).some((ps) => ps.clusterAdmin),
      }),
    });
    if (id.type === "serviceaccount") rel("CONTAINS", ids.namespace(id.namespace!), id.id);
  }
  for (const ps of ctx.permissionSets) {
    add({
      id: ps.id, kind: "permissionset", name: `${ps.role}::${ps.binding}`, namespace: ps.namespace,
      properties: clean({
        role: ps.role, roleKind: ps.roleKind, binding: ps.binding, bindingKind: ps.bindingKind, namespace: ps.namespace,
        clusterWide: ps.namespace === undefined, clusterAdmin: ps.clusterAdmin, rules: describeRules(ps.rules), subjects: ps.subjectIds,
      }),
    });
    for (const s of ps.subjectIds) rel("BINDS", ps.id, s);
  }
  for (const s of ctx.secrets.values()) {
    add({ id: s.id, kind: "secret", name: s.name, namespace: s.namespace, properties: clean({ type: s.type, declared: s.declared, keys: s.keys, serviceAccount: s.serviceAccountId }) });
    rel("CONTAINS", ids.namespace(s.namespace), s.id);
  }
  for (const ci of ctx.cloudIdentities.values()) {
    add({
      id: ci.id, kind: "cloudidentity", name: ci.name ?? ci.clientId ?? ci.principalId ?? ci.id,
      properties: clean({
        clientId: ci.clientId, principalId: ci.principalId, resourceId: ci.resourceId, source: ci.source, tenantId: ci.tenantId,
        // "unknown": the role assignments could not be read, so what the identity may do in Azure is not known.
        azurePermissions: ci.azure, azurePermissionsReason: ci.azureReason,
        // Subscriptions read, and those where the assignments could not be read ("SUB: reason" beside each id).
        azureSubscriptionsRead: ci.azureRead?.length ? ci.azureRead : undefined,
        azurePermissionsUnknownIn: ci.azureUnread?.map((u) => u.subscriptionId),
        azurePermissionsUnknownReasons: ci.azureUnread?.map((u) => `${u.subscriptionId}: ${u.reason}`),
        azureRoles: ci.grants.length ? ci.grants.map((g) => `${g.roleName} @ ${g.scope}`) : undefined,
      }),
    });
  }
  for (const sc of ctx.azureScopes.values()) {
    add({
      id: sc.id, kind: "azurescope", name: sc.name,
      properties: clean({ scope: sc.scope, scopeType: sc.type, crownJewel: sc.capabilities.size > 0, capabilities: sc.capabilities.size ? [...sc.capabilities].sort() : undefined }),
    });
  }
  return { nodes: [...nodes.values()], edges };
}

/** Node properties must be JSON scalars or arrays of scalars: drop undefined, keep the rest. */
function clean(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (v !== undefined) out[k] = v;
  return out;
}
