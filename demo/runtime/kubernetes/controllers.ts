// What the control plane would have made of applied manifests: ReplicaSets for Deployments, Jobs
// for CronJobs, Pods for every controller (scheduled round-robin onto matching nodes, with status and
// image digests), EndpointSlices for selector Services, load-balancer IPs, default namespaces and
// ServiceAccounts, and the last-applied annotation `kubectl apply` leaves behind. Deterministic.
import { createHash } from "node:crypto";

type Obj = Record<string, any>;

export interface MaterializeOptions {
  /** image reference → `sha256:…` (e.g. the digests the demo registry built); others get a stable fake. */
  imageDigests?: Record<string, string>;
  /** Add `kubectl.kubernetes.io/last-applied-configuration` like `kubectl apply` does (default true). */
  simulateApply?: boolean;
  creationTimestamp?: string;
}

const CLUSTER_SCOPED = new Set([
  "Namespace", "Node", "ClusterRole", "ClusterRoleBinding", "IngressClass",
  "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "PersistentVolume", "StorageClass",
  "CustomResourceDefinition", "PriorityClass",
]);

const hex = (s: string) => createHash("sha256").update(s).digest("hex");
const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
function suffix(seed: string, length: number): string {
  const h = createHash("sha256").update(seed).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += SUFFIX_ALPHABET[h[i]! % SUFFIX_ALPHABET.length];
  return out;
}
function uid(seed: string): string {
  const h = hex(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const clone = <T>(v: T): T => structuredClone(v);

export function isNamespaced(kind: string): boolean {
  return !CLUSTER_SCOPED.has(kind);
}

export function imageDigest(image: string, digests: Record<string, string> = {}): string {
  const pinned = /@(sha256:[0-9a-f]{64})$/.exec(image);
  return pinned ? pinned[1]! : (digests[image] ?? `sha256:${hex(`image:${image}`)}`);
}

function repositoryOf(image: string): string {
  const at = image.indexOf("@");
  if (at >= 0) return image.slice(0, at);
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(0, colon) : image;
}

export function materialize(input: unknown[], options: MaterializeOptions = {}): Obj[] {
  const created = options.creationTimestamp ?? "2025-01-06T09:00:00Z";
  const out: Obj[] = [];
  const meta = (o: Obj): Obj => (o.metadata ??= {});
  const ownerRef = (o: Obj) => ({
    apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true,
  });
  const finish = (o: Obj): Obj => {
    const m = meta(o);
    if (isNamespaced(o.kind)) m.namespace ??= "default";
    else delete m.namespace;
    m.uid ??= uid(`${o.kind}/${m.namespace ?? ""}/${m.name}`);
    m.creationTimestamp ??= created;
    m.labels ??= {};
    out.push(o);
    return o;
  };

  for (const raw of input) {
    if (!raw || typeof raw !== "object") continue;
    const o = clone(raw as Obj);
    if (typeof o.kind !== "string" || !o.metadata?.name) continue;
    if (options.simulateApply !== false && !o.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]) {
      const applied = clone(raw as Obj);
      delete applied.status;
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(applied) };
    }
    finish(o);
  }

  // Namespaces and their default ServiceAccounts exist whether or not the manifests declare them.
  const has = (kind: string, ns: string | undefined, name: string) =>
    out.some((o) => o.kind === kind && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns));
  const namespaces = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);
  for (const o of out) if (o.metadata.namespace) namespaces.add(o.metadata.namespace);
  for (const ns of namespaces) {
    if (!has("Namespace", undefined, ns))
      finish({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } } });
    if (!has("ServiceAccount", ns, "default")) finish({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: ns } });
  }
  for (const o of out) if (o.kind === "Namespace") o.status ??= { phase: "Active" };

  // Nodes.
  let nodes = out.filter((o) => o.kind === "Node");
  if (nodes.length === 0)
    nodes = [0, 1, 2].map((i) =>
      finish({ apiVersion: "v1", kind: "Node", metadata: { name: `aks-nodepool1-12345678-vmss00000${i}`, labels: { "kubernetes.azure.com/agentpool": "nodepool1", "kubernetes.io/os": "linux" } } }),
    );
  nodes.forEach((n, i) => {
    n.metadata.labels["kubernetes.io/hostname"] ??= n.metadata.name;
    n.spec ??= {};
    n.status ??= {};
    n.status.addresses ??= [{ type: "InternalIP", address: `10.224.0.${4 + i}` }, { type: "Hostname", address: n.metadata.name }];
    n.status.nodeInfo ??= { kubeletVersion: "v1.29.7", osImage: "Ubuntu 22.04.4 LTS", containerRuntimeVersion: "containerd://1.7.20-1", operatingSystem: "linux", architecture: "amd64" };
    n.status.conditions ??= [{ type: "Ready", status: "True", reason: "KubeletReady" }];
  });
  const internalIp = (n: Obj): string => n.status.addresses.find((a: Obj) => a.type === "InternalIP")?.address ?? "10.224.0.4";

  // Scheduling: round-robin over schedulable nodes whose labels satisfy the nodeSelector.
  let rr = 0;
  const eligible = (spec: Obj) =>
    nodes.filter((n) => !n.spec.unschedulable && Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => n.metadata.labels[k] === v));
  let podSeq = 0;
  const podStatus = (pod: Obj) => {
    const node = nodes.find((n) => n.metadata.name === pod.spec.nodeName);
    const podIp = pod.spec.hostNetwork && node ? internalIp(node) : `10.244.${(podSeq >> 8) & 255}.${(podSeq++ & 255) + 1}`;
    const statuses = (list: Obj[] | undefined) =>
      (list ?? []).map((c) => ({
        name: c.name, image: c.image, imageID: `${repositoryOf(c.image)}@${imageDigest(c.image, options.imageDigests)}`,
        ready: true, started: true, restartCount: 0, state: { running: { startedAt: created } },
        containerID: `containerd://${hex(`${pod.metadata.namespace}/${pod.metadata.name}/${c.name}`)}`,
      }));
    pod.status = {
      phase: node ? "Running" : "Pending",
      ...(node ? { hostIP: internalIp(node), podIP: podIp, podIPs: [{ ip: podIp }], startTime: created } : {}),
      conditions: [{ type: "PodScheduled", status: node ? "True" : "False" }],
      ...(node ? { containerStatuses: statuses(pod.spec.containers), initContainerStatuses: statuses(pod.spec.initContainers) } : {}),
    };
  };
  const makePod = (owner: Obj, name: string, template: Obj, extraLabels: Obj, nodeName?: string): Obj => {
    const spec = clone(template.spec ?? {});
    spec.serviceAccountName ??= spec.serviceAccount ?? "default";
    if (nodeName) spec.nodeName = nodeName;
    if (!spec.nodeName) {
      const candidates = eligible(spec);
      if (candidates.length) spec.nodeName = candidates[rr++ % candidates.length]!.metadata.name;
    }
    const pod = finish({
      apiVersion: "v1", kind: "Pod",
      metadata: {
        name, namespace: owner.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [ownerRef(owner)],
      },
      spec,
    });
    podStatus(pod);
    return pod;
  };
  const replicaPods = (rs: Obj) => {
    const n = rs.spec?.replicas ?? 1;
    const hash = rs.metadata.labels["pod-template-hash"];
    for (let i = 0; i < n; i++)
      makePod(rs, `${rs.metadata.name}-${suffix(`${rs.metadata.uid}/${i}`, 5)}`, rs.spec?.template ?? {}, hash ? { "pod-template-hash": hash } : {});
  };
  const jobPods = (job: Obj) => {
    const labels = { "batch.kubernetes.io/job-name": job.metadata.name, "job-name": job.metadata.name, "controller-uid": job.metadata.uid };
    for (let i = 0; i < (job.spec?.parallelism ?? 1); i++) makePod(job, `${job.metadata.name}-${suffix(`${job.metadata.uid}/${i}`, 5)}`, job.spec?.template ?? {}, labels);
    job.status ??= { active: job.spec?.parallelism ?? 1, startTime: created };
  };

  for (const o of [...out]) {
    switch (o.kind) {
      case "Deployment": {
        const hash = suffix(JSON.stringify(o.spec?.template ?? {}), 10);
        const rs = finish({
          apiVersion: "apps/v1", kind: "ReplicaSet",
          metadata: { name: `${o.metadata.name}-${hash}`, namespace: o.metadata.namespace, labels: { ...(o.spec?.template?.metadata?.labels ?? {}), "pod-template-hash": hash }, ownerReferences: [ownerRef(o)] },
          spec: { replicas: o.spec?.replicas ?? 1, selector: clone(o.spec?.selector ?? {}), template: clone(o.spec?.template ?? {}) },
        });
        replicaPods(rs);
        const n = o.spec?.replicas ?? 1;
        o.status = { replicas: n, readyReplicas: n, availableReplicas: n, updatedReplicas: n, observedGeneration: 1 };
        break;
      }
      case "ReplicaSet":
        if (!o.metadata.ownerReferences?.length) replicaPods(o);
        break;
      case "StatefulSet":
        for (let i = 0; i < (o.spec?.replicas ?? 1); i++)
          makePod(o, `${o.metadata.name}-${i}`, o.spec?.template ?? {}, { "statefulset.kubernetes.io/pod-name": `${o.metadata.name}-${i}` });
        break;
      case "DaemonSet": {
        const targets = eligible(o.spec?.template?.spec ?? {});
        for (const node of targets) makePod(o, `${o.metadata.name}-${suffix(`${o.metadata.uid}/${node.metadata.name}`, 5)}`, o.spec?.template ?? {}, {}, node.metadata.name);
        o.status = { desiredNumberScheduled: targets.length, currentNumberScheduled: targets.length, numberReady: targets.length };
        break;
      }
      case "CronJob": {
        const job = finish({
          apiVersion: "batch/v1", kind: "Job",
          metadata: { name: `${o.metadata.name}-28950540`, namespace: o.metadata.namespace, labels: {}, ownerReferences: [ownerRef(o)] },
          spec: clone(o.spec?.jobTemplate?.spec ?? {}),
        });
        jobPods(job);
        break;
      }
      case "Job":
        if (!o.metadata.ownerReferences?.length) jobPods(o);
        break;
      case "Pod":
        if (!o.status) {
          o.spec ??= {};
          o.spec.serviceAccountName ??= "default";
          if (!o.spec.nodeName) {
            const candidates = eligible(o.spec);
            if (candidates.length) o.spec.nodeName = candidates[rr++ % candidates.length]!.metadata.name;
          }
          podStatus(o);
        }
        break;
    }
  }

  // Services: cluster IPs, load-balancer IPs and EndpointSlices.
  let ipSeq = 10;
  const pods = out.filter((o) => o.kind === "Pod");
  for (const svc of out.filter((o) => o.kind === "Service")) {
    svc.spec ??= {};
    const type = svc.spec.type ?? "ClusterIP";
    if (type !== "ExternalName") svc.spec.clusterIP ??= `10.0.${(ipSeq >> 8) & 255}.${ipSeq++ & 255}`;
    if (type === "LoadBalancer" && !svc.status?.loadBalancer?.ingress?.length) {
      const internal = svc.metadata.annotations?.["service.beta.kubernetes.io/azure-load-balancer-internal"] === "true";
      const h = createHash("sha256").update(`${svc.metadata.namespace}/${svc.metadata.name}`).digest();
      svc.status = { loadBalancer: { ingress: [{ ip: internal ? `10.224.1.${h[0]! % 250 + 4}` : `20.${h[0]! % 200 + 20}.${h[1]}.${h[2]! % 250 + 1}` }] } };
    }
    const selector: Obj = svc.spec.selector ?? {};
    if (Object.keys(selector).length === 0) continue;
    const matching = pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
    finish({
      apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", addressType: "IPv4",
      metadata: {
        name: `${svc.metadata.name}-${suffix(svc.metadata.uid, 5)}`, namespace: svc.metadata.namespace,
        labels: { "kubernetes.io/service-name": svc.metadata.name, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" },
        ownerReferences: [{ apiVersion: "v1", kind: "Service", name: svc.metadata.name, uid: svc.metadata.uid, controller: true }],
      },
      endpoints: matching.filter((p) => p.status?.podIP).map((p) => ({
        addresses: [p.status.podIP], conditions: { ready: true }, nodeName: p.spec.nodeName,
        targetRef: { kind: "Pod", name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid },
      })),
      ports: (svc.spec.ports ?? []).map((p: Obj) => ({ name: p.name ?? "", port: typeof p.targetPort === "number" ? p.targetPort : p.port, protocol: p.protocol ?? "TCP" })),
    });
  }

  // Ingresses get the address of the (first) public ingress controller's load balancer.
  const controllerLb = out.find((o) => o.kind === "Service" && o.spec.type === "LoadBalancer" && /ingress/.test(o.metadata.name))?.status?.loadBalancer?.ingress;
  for (const ing of out.filter((o) => o.kind === "Ingress")) if (controllerLb && !ing.status?.loadBalancer?.ingress) ing.status = { loadBalancer: { ingress: clone(controllerLb) } };

  return out;
}
