// The derived, indexed view of a Snapshot that the structural builder, the insights and every
// attack-edge module read. Built once; modules stay pure functions of it.
import type {
  ContainerInfo, IngressInfo, NodeInfo, PodInfo, ServiceAccountInfo, ServiceInfo, ServicePort, Snapshot, VolumeInfo,
} from "../kubernetes/model.js";
import { addedCapabilities, isPrivileged, runsAsRoot } from "../kubernetes/pod-security.js";
import { ids, UNSCHEDULED_NODE } from "./ids.js";
import { FindingsIndex, normalizeImageRef, type ImageVulns } from "./images.js";
import {
  buildPermissionSets, isClusterAdminEquivalent, type PermissionSet, selectorMatches,
} from "./rbac.js";
import {
  ingressExposure, isControllerService, nodeExposure, podIsolation, serviceExposure,
  type PodIsolation, type ServiceExposure,
} from "./exposure.js";

export interface NodeView {
  id: string;
  name: string;
  info?: NodeInfo;
  external: boolean;
  externalEvidence: string[];
  controlPlane: boolean;
  /** Not in the snapshot: referenced by a pod (or the offline "unscheduled" node). */
  synthetic: boolean;
}

export interface MountView {
  volume: VolumeView;
  container: ContainerView;
  readOnly: boolean;
  mountPath: string;
  /** Host path the container actually sees (hostPath + subPath), for hostPath volumes. */
  hostPath?: string;
}

export interface VolumeView {
  id: string;
  name: string;
  pod: PodView;
  info: VolumeInfo;
  hostPath?: string;
  /** Holds a service-account token (projected token source or a token Secret). */
  token: boolean;
  secretNames: string[];
  synthetic: boolean;
  mounts: MountView[];
}

export interface ContainerView {
  id: string;
  name: string;
  pod: PodView;
  info: ContainerInfo;
  privileged: boolean;
  /** Added capabilities, upper-case without CAP_ ("ALL" when privileged or add: [ALL]). */
  caps: Set<string>;
  runsAsRoot: boolean;
  mounts: MountView[];
  imageRef: string;
  imageId: string;
  vulns?: ImageVulns;
  tokenMounted: boolean;
}

export interface PodView {
  id: string;
  name: string;
  namespace: string;
  info: PodInfo;
  node: NodeView;
  serviceAccountId: string;
  serviceAccount?: ServiceAccountInfo;
  tokenAutomounted: boolean;
  containers: ContainerView[];
  volumes: VolumeView[];
  isolation: PodIsolation;
  /** Internet-reachable endpoints that route to this pod. */
  exposedBy: string[];
}

export interface EndpointTarget {
  container: ContainerView;
  /** Reachable from the internet (endpoint public and the pod not isolated by NetworkPolicy). */
  internet: boolean;
}

export interface EndpointView {
  id: string;
  namespace: string;
  owner: string;
  ownerKind: "service" | "pod";
  ownerId: string;
  port: number;
  portName: string;
  protocol: string;
  exposed: boolean;
  exposure: string[];
  evidence: string[];
  targets: EndpointTarget[];
}

export interface IdentityView {
  id: string;
  type: "serviceaccount" | "user" | "group";
  name: string;
  namespace?: string;
  info?: ServiceAccountInfo;
  synthetic: boolean;
}

export interface PermissionSetView extends PermissionSet {
  clusterAdmin: boolean;
  subjectIds: string[];
}

export interface SecretView {
  id: string;
  namespace: string;
  name: string;
  type?: string;
  declared: boolean;
  keys?: string[];
  /** For kubernetes.io/service-account-token secrets: the service account it holds a token of. */
  serviceAccountId?: string;
}

export interface ServiceView {
  id: string;
  info: ServiceInfo;
  exposure: ServiceExposure;
  pods: PodView[];
  endpoints: EndpointView[];
}

export interface IngressView {
  id: string;
  info: IngressInfo;
  exposure: ServiceExposure;
  services: ServiceView[];
}

export interface CloudIdentityView {
  id: string;
  clientId: string;
  source: "workload-identity" | "kubelet";
  tenantId?: string;
}

export interface GraphContext {
  snapshot: Snapshot;
  clusterName: string;
  clusterId: string;
  nodes: Map<string, NodeView>;
  pods: PodView[];
  podsByNode: Map<string, PodView[]>;
  podsByNamespace: Map<string, PodView[]>;
  containers: ContainerView[];
  volumes: VolumeView[];
  services: ServiceView[];
  ingresses: IngressView[];
  endpoints: EndpointView[];
  identities: Map<string, IdentityView>;
  serviceAccountsByNamespace: Map<string, IdentityView[]>;
  permissionSets: PermissionSetView[];
  /** Permission sets per subject identity id (direct subjects and, for SAs, their implicit groups). */
  permissionSetsBySubject: Map<string, PermissionSetView[]>;
  secrets: Map<string, SecretView>;
  secretsByNamespace: Map<string, SecretView[]>;
  cloudIdentities: Map<string, CloudIdentityView>;
  kubeletIdentityId?: string;
  warnings: string[];
}

export function normalizeCap(cap: string): string {
  return cap.toUpperCase().replace(/^CAP_/, "");
}

export function hasCap(c: ContainerView, cap: string): boolean {
  return c.privileged || c.caps.has("ALL") || c.caps.has(cap);
}

export function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (!seg || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

/** True when host path `mounted` exposes `target` (it is the target or one of its parents). */
export function covers(mounted: string, target: string): boolean {
  const m = normalizePath(mounted);
  const t = normalizePath(target);
  return m === "/" || m === t || t.startsWith(m + "/");
}

const TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

export function buildContext(snapshot: Snapshot, images: FindingsIndex): GraphContext {
  const warnings: string[] = [...(snapshot.warnings ?? [])];
  const clusterName = snapshot.cluster?.name || "cluster";
  const ctx: GraphContext = {
    snapshot, clusterName, clusterId: ids.cluster(clusterName), nodes: new Map(), pods: [], podsByNode: new Map(),
    podsByNamespace: new Map(), containers: [], volumes: [], services: [], ingresses: [], endpoints: [],
    identities: new Map(), serviceAccountsByNamespace: new Map(), permissionSets: [], permissionSetsBySubject: new Map(),
    secrets: new Map(), secretsByNamespace: new Map(), cloudIdentities: new Map(), warnings,
  };

  // Nodes.
  for (const n of snapshot.nodes) {
    const exp = nodeExposure(n, snapshot.cluster);
    const labels = n.meta.labels ?? {};
    ctx.nodes.set(n.meta.name, {
      id: ids.node(n.meta.name), name: n.meta.name, info: n, external: exp.external, externalEvidence: exp.evidence,
      controlPlane: "node-role.kubernetes.io/control-plane" in labels || "node-role.kubernetes.io/master" in labels, synthetic: false,
    });
  }
  const nodesVisible = !snapshot.notVisible.includes("nodes") && (snapshot.source === "live" || snapshot.nodes.length > 0);
  const nodeFor = (pod: PodInfo): NodeView => {
    const name = pod.nodeName || UNSCHEDULED_NODE;
    let node = ctx.nodes.get(name);
    if (!node) {
      if (name !== UNSCHEDULED_NODE && nodesVisible) warnings.push(`pod ${pod.meta.namespace}/${pod.meta.name} is on unknown node ${name}`);
      node = { id: ids.node(name), name, external: false, externalEvidence: [], controlPlane: false, synthetic: true };
      ctx.nodes.set(name, node);
    }
    return node;
  };

  // Service accounts and secrets.
  const addIdentity = (v: IdentityView): IdentityView => {
    const prev = ctx.identities.get(v.id);
    if (prev) return prev;
    ctx.identities.set(v.id, v);
    if (v.type === "serviceaccount") {
      const list = ctx.serviceAccountsByNamespace.get(v.namespace!) ?? [];
      list.push(v);
      ctx.serviceAccountsByNamespace.set(v.namespace!, list);
    }
    return v;
  };
  const saInfo = new Map<string, ServiceAccountInfo>();
  for (const sa of snapshot.serviceAccounts) {
    const ns = sa.meta.namespace ?? "default";
    const id = ids.serviceAccount(ns, sa.meta.name);
    saInfo.set(id, sa);
    addIdentity({ id, type: "serviceaccount", name: sa.meta.name, namespace: ns, info: sa, synthetic: false });
  }
  const sasVisible = !snapshot.notVisible.includes("serviceAccounts") && (snapshot.source === "live" || snapshot.serviceAccounts.length > 0);
  const saIdentity = (ns: string, name: string, why: string): IdentityView => {
    const id = ids.serviceAccount(ns, name);
    const prev = ctx.identities.get(id);
    if (prev) return prev;
    // "default" exists in every namespace even when manifests do not declare it.
    if (sasVisible && name !== "default") warnings.push(`${why} references unknown service account ${ns}/${name}`);
    return addIdentity({ id, type: "serviceaccount", name, namespace: ns, synthetic: true });
  };
  for (const s of snapshot.secrets) {
    const ns = s.meta.namespace ?? "default";
    const saName = s.type === "kubernetes.io/service-account-token" ? s.meta.annotations?.["kubernetes.io/service-account.name"] : undefined;
    const id = ids.secret(ns, s.meta.name);
    ctx.secrets.set(id, {
      id, namespace: ns, name: s.meta.name, type: s.type, declared: true, keys: s.keys,
      serviceAccountId: saName ? saIdentity(ns, saName, `Secret ${ns}/${s.meta.name}`).id : undefined,
    });
  }
  const secretRef = (ns: string, name: string): SecretView => {
    const id = ids.secret(ns, name);
    let s = ctx.secrets.get(id);
    if (!s) ctx.secrets.set(id, (s = { id, namespace: ns, name, declared: false }));
    return s;
  };

  // Pods, containers, volumes.
  const policies = snapshot.networkPolicies ?? [];
  for (const pod of snapshot.pods) {
    const ns = pod.meta.namespace ?? "default";
    const node = nodeFor(pod);
    const sa = saIdentity(ns, pod.serviceAccountName || "default", `pod ${ns}/${pod.meta.name}`);
    const tokenAutomounted = pod.automountServiceAccountToken ?? sa.info?.automountServiceAccountToken ?? true;
    const pv: PodView = {
      id: ids.pod(ns, pod.meta.name), name: pod.meta.name, namespace: ns, info: pod, node, serviceAccountId: sa.id,
      serviceAccount: saInfo.get(sa.id), tokenAutomounted, containers: [], volumes: [], isolation: podIsolation(pod, policies), exposedBy: [],
    };
    const volumesByName = new Map<string, VolumeView>();
    for (const v of pod.volumes ?? []) {
      const secretNames = [...(v.secretName ? [v.secretName] : []), ...(v.projectedSecrets ?? [])];
      for (const s of secretNames) secretRef(ns, s);
      const token = Boolean(v.serviceAccountToken) || secretNames.some((s) => ctx.secrets.get(ids.secret(ns, s))?.serviceAccountId);
      const vv: VolumeView = {
        id: ids.volume(ns, pod.meta.name, v.name), name: v.name, pod: pv, info: v,
        hostPath: v.type === "hostPath" && v.hostPath ? normalizePath(v.hostPath.path) : undefined, token, secretNames, synthetic: false, mounts: [],
      };
      volumesByName.set(v.name, vv);
      pv.volumes.push(vv);
    }
    // Automounted tokens come from an admission-injected projected volume that offline manifests
    // never show: model it so token theft is visible.
    const hasProjectedToken = pv.volumes.some((v) => v.info.serviceAccountToken);
    let autoToken: VolumeView | undefined;
    if (tokenAutomounted && !hasProjectedToken) {
      autoToken = {
        id: ids.volume(ns, pod.meta.name, "kube-api-access"), name: "kube-api-access", pod: pv,
        info: { name: "kube-api-access", type: "projected", serviceAccountToken: { path: "token" } },
        token: true, secretNames: [], synthetic: true, mounts: [],
      };
      pv.volumes.push(autoToken);
    }
    for (const c of pod.containers ?? []) {
      const privileged = isPrivileged(c);
      const caps = new Set(addedCapabilities(c));
      if (privileged) caps.add("ALL");
      const ref = normalizeImageRef(c.image || "unknown");
      const cv: ContainerView = {
        id: ids.container(ns, pod.meta.name, c.name), name: c.name, pod: pv, info: c, privileged, caps,
        // The image's USER is unknown here: without runAsUser/runAsNonRoot assume root, as the runtime would.
        runsAsRoot: runsAsRoot(pod, c),
        mounts: [], imageRef: ref.normalized, imageId: ids.image(ref.normalized), vulns: images.lookup(c.image || "", c.imageDigest), tokenMounted: false,
      };
      for (const m of c.volumeMounts ?? []) {
        const vol = volumesByName.get(m.name);
        if (!vol) {
          warnings.push(`container ${ns}/${pod.meta.name}/${c.name} mounts undeclared volume ${m.name}`);
          continue;
        }
        const mv: MountView = {
          volume: vol, container: cv, readOnly: Boolean(m.readOnly), mountPath: m.mountPath,
          hostPath: vol.hostPath ? normalizePath(m.subPath ? `${vol.hostPath}/${m.subPath}` : vol.hostPath) : undefined,
        };
        vol.mounts.push(mv);
        cv.mounts.push(mv);
      }
      if (autoToken) {
        const mv: MountView = { volume: autoToken, container: cv, readOnly: true, mountPath: TOKEN_MOUNT_PATH };
        autoToken.mounts.push(mv);
        cv.mounts.push(mv);
      }
      cv.tokenMounted = cv.mounts.some((m) => m.volume.token);
      for (const e of c.envSources ?? []) if (e.kind === "Secret") secretRef(ns, e.name);
      pv.containers.push(cv);
      ctx.containers.push(cv);
    }
    for (const v of pv.volumes) ctx.volumes.push(v);
    ctx.pods.push(pv);
    push(ctx.podsByNode, node.id, pv);
    push(ctx.podsByNamespace, ns, pv);
  }

  // Services, endpoints, ingresses.
  const anyExternalNode = [...ctx.nodes.values()].some((n) => n.external);
  const slicesByService = new Map<string, string[]>();
  for (const s of snapshot.endpointSlices ?? []) {
    if (!s.serviceName) continue;
    const key = `${s.meta.namespace ?? "default"}/${s.serviceName}`;
    for (const e of s.endpoints) if (e.targetRef?.kind === "Pod") push(slicesByService, key, e.targetRef.name);
  }
  const podByKey = new Map(ctx.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  for (const svc of snapshot.services) {
    if (svc.type === "ExternalName") continue;
    const ns = svc.meta.namespace ?? "default";
    const hasSelector = Object.keys(svc.selector ?? {}).length > 0;
    const pods = hasSelector
      ? (ctx.podsByNamespace.get(ns) ?? []).filter((p) => selectorMatches({ matchLabels: svc.selector }, p.info.meta.labels ?? {}))
      : (slicesByService.get(`${ns}/${svc.meta.name}`) ?? []).map((n) => podByKey.get(`${ns}/${n}`)).filter((p): p is PodView => Boolean(p));
    ctx.services.push({ id: ids.service(ns, svc.meta.name), info: svc, exposure: serviceExposure(svc, anyExternalNode), pods, endpoints: [] });
  }
  const controllers = ctx.services
    .filter((s) => isControllerService(s.info, s.pods.map((p) => p.info.meta.labels ?? {})))
    .map((s) => ({ svc: s.info, exposure: s.exposure }));
  const svcByKey = new Map(ctx.services.map((s) => [`${s.info.meta.namespace ?? "default"}/${s.info.meta.name}`, s]));
  const ingressExposed = new Map<ServiceView, string[]>();
  for (const ing of snapshot.ingresses ?? []) {
    const ns = ing.meta.namespace ?? "default";
    const backends = [...(ing.defaultBackend ? [ing.defaultBackend] : []), ...ing.rules.flatMap((r) => r.paths)];
    const services: ServiceView[] = [];
    for (const b of backends) {
      const s = svcByKey.get(`${ns}/${b.serviceName}`);
      if (!s) {
        warnings.push(`Ingress ${ns}/${ing.meta.name} routes to unknown service ${b.serviceName}`);
        continue;
      }
      if (!services.includes(s)) services.push(s);
    }
    const exposure = ingressExposure(ing, controllers);
    ctx.ingresses.push({ id: ids.ingress(ns, ing.meta.name), info: ing, exposure, services });
    if (exposure.exposed) for (const s of services) ingressExposed.set(s, [...(ingressExposed.get(s) ?? []), `Ingress ${ns}/${ing.meta.name}: ${exposure.evidence.join("; ")}`]);
  }
  for (const s of ctx.services) {
    const ns = s.info.meta.namespace ?? "default";
    const viaIngress = ingressExposed.get(s);
    for (const port of s.info.ports) {
      const portName = port.name || String(port.port);
      const exposure = [...s.exposure.via, ...(viaIngress ? ["ingress"] : [])];
      const ep: EndpointView = {
        id: ids.endpoint(ns, s.info.meta.name, portName), namespace: ns, owner: s.info.meta.name, ownerKind: "service", ownerId: s.id,
        port: port.port, portName, protocol: port.protocol || "TCP", exposed: false, exposure,
        evidence: [...s.exposure.evidence, ...(viaIngress ?? [])], targets: [],
      };
      for (const p of s.pods) {
        // LB/NodePort traffic keeps an internet source address; ingress traffic arrives from the
        // controller pod, which only a default-deny policy is sure to refuse.
        const internet = (s.exposure.exposed && p.isolation.internetAllowed) || (Boolean(viaIngress) && p.isolation.anyAllowed);
        for (const c of containersServing(p, port)) ep.targets.push({ container: c, internet });
      }
      ep.exposed = ep.targets.some((t) => t.internet) || (exposure.length > 0 && ep.targets.length === 0);
      s.endpoints.push(ep);
      ctx.endpoints.push(ep);
    }
  }
  // hostPort listeners are published on the node's addresses (hostNetwork pods are modelled at the
  // node instead: HOST_NETWORK_EXPOSED).
  for (const p of ctx.pods) {
    if (p.info.hostNetwork) continue;
    for (const c of p.containers) for (const port of c.info.ports ?? []) {
      if (!port.hostPort) continue;
      const portName = port.name || String(port.hostPort);
      const internet = p.node.external && p.isolation.internetAllowed;
      ctx.endpoints.push({
        id: ids.endpoint(p.namespace, p.name, portName), namespace: p.namespace, owner: p.name, ownerKind: "pod", ownerId: p.id,
        port: port.hostPort, portName, protocol: port.protocol || "TCP", exposed: internet,
        exposure: p.node.external ? ["hostPort"] : [], evidence: p.node.external ? [`hostPort ${port.hostPort} on node ${p.node.name} (${p.node.externalEvidence.join("; ")})`] : [],
        targets: [{ container: c, internet }],
      });
    }
  }
  for (const ep of ctx.endpoints) for (const t of ep.targets) if (t.internet && !t.container.pod.exposedBy.includes(ep.id)) t.container.pod.exposedBy.push(ep.id);

  // RBAC.
  const sets = buildPermissionSets(snapshot, warnings);
  for (const ps of sets) {
    const subjectIds: string[] = [];
    for (const s of ps.subjects) {
      let id: string;
      if (s.kind === "ServiceAccount") id = saIdentity(s.namespace ?? ps.namespace ?? "default", s.name, `${ps.bindingKind} ${ps.binding}`).id;
      else if (s.kind === "User") id = addIdentity({ id: ids.user(s.name), type: "user", name: s.name, synthetic: false }).id;
      else id = addIdentity({ id: ids.group(s.name), type: "group", name: s.name, synthetic: false }).id;
      subjectIds.push(id);
    }
    const view: PermissionSetView = { ...ps, clusterAdmin: isClusterAdminEquivalent(ps), subjectIds };
    ctx.permissionSets.push(view);
    for (const id of subjectIds) push(ctx.permissionSetsBySubject, id, view);
  }
  // Service accounts are implicitly in system:serviceaccounts[:NS] and system:authenticated.
  for (const sa of ctx.identities.values()) {
    if (sa.type !== "serviceaccount") continue;
    for (const g of ["system:serviceaccounts", `system:serviceaccounts:${sa.namespace}`, "system:authenticated"]) {
      for (const ps of ctx.permissionSetsBySubject.get(ids.group(g)) ?? []) push(ctx.permissionSetsBySubject, sa.id, ps);
    }
  }

  for (const sv of ctx.secrets.values()) push(ctx.secretsByNamespace, sv.namespace, sv);

  // Cloud identities.
  for (const sa of ctx.identities.values()) {
    const wi = sa.info?.workloadIdentity;
    if (!wi?.clientId) continue;
    const id = ids.cloudIdentity(wi.clientId);
    if (!ctx.cloudIdentities.has(id)) ctx.cloudIdentities.set(id, { id, clientId: wi.clientId, source: "workload-identity", tenantId: wi.tenantId });
  }
  const kubelet = snapshot.cluster?.kubeletIdentity?.clientId;
  if (kubelet) {
    ctx.kubeletIdentityId = ids.cloudIdentity(kubelet);
    if (!ctx.cloudIdentities.has(ctx.kubeletIdentityId)) ctx.cloudIdentities.set(ctx.kubeletIdentityId, { id: ctx.kubeletIdentityId, clientId: kubelet, source: "kubelet" });
  }
  return ctx;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Containers behind a service port: by named or numbered targetPort; all app containers when none declares it. */
function containersServing(p: PodView, port: ServicePort): ContainerView[] {
  const target = port.targetPort ?? port.port;
  const app = p.containers.filter((c) => c.info.kind !== "init");
  const hits = app.filter((c) => (c.info.ports ?? []).some((cp) => (typeof target === "string" && !/^\d+$/.test(target) ? cp.name === target : cp.containerPort === Number(target))));
  return hits.length ? hits : app;
}
