// One raw Kubernetes object → one model record, per kind. Kinds outside the model are not read at
// all (ConfigMaps in particular: their data never enters Vantage).
import {
  UNSCHEDULED_NODE,
  type EndpointSliceInfo,
  type IngressBackendRef,
  type IngressInfo,
  type NamespaceInfo,
  type NetworkPolicyInfo,
  type NetworkPolicyRule,
  type NodeInfo,
  type PodInfo,
  type PolicyRule,
  type RoleBindingInfo,
  type RoleInfo,
  type SecretMeta,
  type ServiceAccountInfo,
  type ServiceInfo,
  type Subject,
  type WebhookConfigInfo,
  type WorkloadInfo,
  type WorkloadKind,
} from "../model.js";
import { compact, Reader, ShapeError } from "./fields.js";
import { readMeta, readSelector, safeAnnotations } from "./meta.js";
import { secretAnnotations } from "./redact.js";
import { readPod } from "./pod.js";

export type NormalizedObject =
  | { into: "nodes"; value: NodeInfo }
  | { into: "namespaces"; value: NamespaceInfo }
  | { into: "pods"; value: PodInfo }
  | { into: "workloads"; value: WorkloadInfo; template: PodInfo }
  | { into: "services"; value: ServiceInfo }
  | { into: "endpointSlices"; value: EndpointSliceInfo }
  | { into: "ingresses"; value: IngressInfo }
  | { into: "networkPolicies"; value: NetworkPolicyInfo }
  | { into: "serviceAccounts"; value: ServiceAccountInfo }
  | { into: "roles"; value: RoleInfo }
  | { into: "roleBindings"; value: RoleBindingInfo }
  | { into: "secrets"; value: SecretMeta }
  | { into: "webhooks"; value: WebhookConfigInfo };

interface KindReader {
  namespaced: boolean;
  read: (r: Reader) => NormalizedObject;
}

function lbIngress(status: Reader): { ip?: string; hostname?: string }[] {
  return status.obj("loadBalancer").each("ingress", (i) => compact({ ip: i.optStr("ip"), hostname: i.optStr("hostname") }));
}

function readNode(r: Reader): NormalizedObject {
  const spec = r.obj("spec");
  const status = r.obj("status");
  const info = status.obj("nodeInfo");
  return {
    into: "nodes",
    value: compact({
      meta: readMeta(r, { namespaced: false }),
      addresses: status.each("addresses", (a) => ({ type: a.str("type"), address: a.str("address") })),
      kubeletVersion: info.optStr("kubeletVersion"),
      osImage: info.optStr("osImage"),
      containerRuntimeVersion: info.optStr("containerRuntimeVersion"),
      providerID: spec.optStr("providerID"),
      taints: spec.each("taints", (t) => compact({ key: t.str("key"), value: t.optStr("value"), effect: t.str("effect") })),
      unschedulable: spec.optBool("unschedulable") ?? false,
    }),
  };
}

function readNamespace(r: Reader): NormalizedObject {
  return { into: "namespaces", value: compact({ meta: readMeta(r, { namespaced: false }), phase: r.obj("status").optStr("phase") }) };
}

function readBarePod(r: Reader): NormalizedObject {
  return { into: "pods", value: readPod(r, readMeta(r, { namespaced: true })) };
}

/** Where each workload kind keeps its pod template. */
function templateOf(kind: WorkloadKind, r: Reader): Reader {
  const spec = r.obj("spec");
  if (kind === "CronJob") return spec.obj("jobTemplate").obj("spec").obj("template");
  return spec.obj("template");
}

function workloadReader(kind: WorkloadKind): KindReader {
  return {
    namespaced: true,
    read(r) {
      const meta = readMeta(r, { namespaced: true });
      const spec = r.obj("spec");
      const template = templateOf(kind, r);
      if (!template.has("spec")) throw new ShapeError(template.at("spec"), "pod template is missing");
      const tmeta = template.obj("metadata");
      const podMeta = {
        name: meta.name,
        namespace: meta.namespace,
        labels: tmeta.strMap("labels"),
        annotations: safeAnnotations(tmeta.strMap("annotations")),
        ownerReferences: [{ kind, name: meta.name, controller: true }],
      };
      const pod = readPod(template, podMeta);
      delete pod.phase;
      pod.nodeName = pod.nodeName || UNSCHEDULED_NODE;
      pod.workload = { kind, name: meta.name };
      pod.fromTemplate = true;
      const replicas = kind === "DaemonSet" || kind === "CronJob" || kind === "Job" ? spec.optNum("replicas") : (spec.optNum("replicas") ?? 1);
      const value: WorkloadInfo = compact({
        meta,
        kind,
        replicas: kind === "Job" ? spec.optNum("parallelism") : replicas,
        // A ReplicationController's selector is a plain label map (equality only), not a LabelSelector.
        selector: kind === "ReplicationController" ? (spec.has("selector") ? { matchLabels: spec.strMap("selector") } : undefined) : readSelector(spec.optObj("selector")),
        serviceAccountName: pod.serviceAccountName,
        schedule: kind === "CronJob" ? spec.str("schedule") : undefined,
      });
      return { into: "workloads", value, template: pod };
    },
  };
}

function readService(r: Reader): NormalizedObject {
  const meta = readMeta(r, { namespaced: true });
  const spec = r.obj("spec");
  const type = spec.optStr("type") ?? "ClusterIP";
  if (!["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].includes(type))
    throw new ShapeError(spec.at("type"), `unknown Service type "${type}"`);
  return {
    into: "services",
    value: compact({
      meta,
      type: type as ServiceInfo["type"],
      clusterIP: spec.optStr("clusterIP"),
      ports: spec.each("ports", (p) =>
        compact({ name: p.optStr("name"), port: p.num("port"), targetPort: p.intOrStr("targetPort"), nodePort: p.optNum("nodePort"), protocol: p.optStr("protocol") ?? "TCP" }),
      ),
      selector: spec.strMap("selector"),
      externalIPs: spec.strList("externalIPs"),
      loadBalancerIngress: lbIngress(r.obj("status")),
      loadBalancerSourceRanges: spec.strList("loadBalancerSourceRanges"),
      internal: meta.annotations["service.beta.kubernetes.io/azure-load-balancer-internal"] === "true",
      externalName: spec.optStr("externalName"),
    }),
  };
}

function readEndpointSlice(r: Reader): NormalizedObject {
  const meta = readMeta(r, { namespaced: true });
  return {
    into: "endpointSlices",
    value: compact({
      meta,
      serviceName: meta.labels["kubernetes.io/service-name"],
      addressType: r.optStr("addressType"),
      endpoints: r.each("endpoints", (e) => {
        const ref = e.optObj("targetRef");
        return compact({
          addresses: e.strList("addresses"),
          ready: e.obj("conditions").optBool("ready"),
          nodeName: e.optStr("nodeName"),
          targetRef: ref ? compact({ kind: ref.optStr("kind") ?? "Pod", name: ref.str("name"), namespace: ref.optStr("namespace") }) : undefined,
        });
      }),
      ports: r.each("ports", (p) => compact({ name: p.optStr("name"), port: p.optNum("port"), protocol: p.optStr("protocol") })),
    }),
  };
}

/** networking.k8s.io/v1 `backend.service.{name,port}` or the older `serviceName/servicePort`. */
function readBackend(b: Reader | undefined): IngressBackendRef | undefined {
  if (!b) return undefined;
  const svc = b.optObj("service");
  if (svc) {
    const port = svc.obj("port");
    return compact({ serviceName: svc.str("name"), servicePort: port.optNum("number") ?? port.optStr("name") });
  }
  const name = b.optStr("serviceName");
  return name ? compact({ serviceName: name, servicePort: b.intOrStr("servicePort") }) : undefined;
}

function readIngress(r: Reader): NormalizedObject {
  const spec = r.obj("spec");
  const meta = readMeta(r, { namespaced: true });
  return {
    into: "ingresses",
    value: compact({
      meta,
      // The legacy annotation, read from the kept (redacted) copy like every other annotation.
      ingressClassName: spec.optStr("ingressClassName") ?? meta.annotations["kubernetes.io/ingress.class"],
      rules: spec.each("rules", (rule) => ({
        ...compact({ host: rule.optStr("host") }),
        paths: readIngressPaths(rule.obj("http")),
      })),
      defaultBackend: readBackend(spec.optObj("defaultBackend") ?? spec.optObj("backend")),
      tls: spec.each("tls", (t) => compact({ hosts: t.strList("hosts"), secretName: t.optStr("secretName") })),
      loadBalancerIngress: lbIngress(r.obj("status")),
    }),
  };
}

type IngressPath = { path?: string; pathType?: string } & IngressBackendRef;

function readIngressPaths(http: Reader): IngressPath[] {
  return http.each("paths", (p) => {
    const backend = readBackend(p.obj("backend"));
    if (!backend) throw new ShapeError(p.at("backend"), "a backend service is required");
    return compact({ path: p.optStr("path"), pathType: p.optStr("pathType"), ...backend });
  });
}

function readPolicyRules(r: Reader, key: "ingress" | "egress"): NetworkPolicyRule[] {
  const peersKey = key === "ingress" ? "from" : "to";
  return r.each(key, (rule) => ({
    peers: rule.each(peersKey, (p) => {
      const ip = p.optObj("ipBlock");
      return compact({
        podSelector: readSelector(p.optObj("podSelector")),
        namespaceSelector: readSelector(p.optObj("namespaceSelector")),
        ipBlock: ip ? compact({ cidr: ip.str("cidr"), except: ip.optStrList("except") }) : undefined,
      });
    }),
    ports: rule.each("ports", (p) => compact({ protocol: p.optStr("protocol"), port: p.intOrStr("port"), endPort: p.optNum("endPort") })),
  }));
}

function readNetworkPolicy(r: Reader): NormalizedObject {
  const spec = r.obj("spec");
  // API defaulting: Ingress always applies; Egress only when egress rules are given.
  const declared = spec.strList("policyTypes");
  const policyTypes = (declared.length ? declared : spec.has("egress") ? ["Ingress", "Egress"] : ["Ingress"]).map((t, i) => {
    if (t !== "Ingress" && t !== "Egress") throw new ShapeError(spec.at("policyTypes") + `[${i}]`, `unknown policy type "${t}"`);
    return t;
  });
  return {
    into: "networkPolicies",
    value: {
      meta: readMeta(r, { namespaced: true }),
      podSelector: readSelector(spec.obj("podSelector")) ?? {},
      policyTypes,
      ingress: readPolicyRules(spec, "ingress"),
      egress: readPolicyRules(spec, "egress"),
    },
  };
}

function readServiceAccount(r: Reader): NormalizedObject {
  const meta = readMeta(r, { namespaced: true });
  const clientId = meta.annotations["azure.workload.identity/client-id"];
  return {
    into: "serviceAccounts",
    value: compact({
      meta,
      automountServiceAccountToken: r.optBool("automountServiceAccountToken"),
      workloadIdentity: clientId ? compact({ clientId, tenantId: meta.annotations["azure.workload.identity/tenant-id"] }) : undefined,
    }),
  };
}

export function readRules(r: Reader): PolicyRule[] {
  return r.each("rules", (rule) => ({
    verbs: rule.strList("verbs"),
    apiGroups: rule.strList("apiGroups"),
    resources: rule.strList("resources"),
    resourceNames: rule.strList("resourceNames"),
    nonResourceURLs: rule.strList("nonResourceURLs"),
  }));
}

function roleReader(kind: RoleInfo["kind"]): KindReader {
  return {
    namespaced: kind === "Role",
    read(r) {
      const agg = kind === "ClusterRole" ? r.optObj("aggregationRule") : undefined;
      return {
        into: "roles",
        value: compact({
          meta: readMeta(r, { namespaced: kind === "Role" }),
          kind,
          rules: readRules(r),
          aggregationRule: agg ? { clusterRoleSelectors: agg.each("clusterRoleSelectors", (s) => readSelector(s) ?? {}) } : undefined,
        }),
      };
    },
  };
}

const SUBJECT_KINDS = new Set(["ServiceAccount", "User", "Group"]);

function bindingReader(kind: RoleBindingInfo["kind"]): KindReader {
  return {
    namespaced: kind === "RoleBinding",
    read(r) {
      const meta = readMeta(r, { namespaced: kind === "RoleBinding" });
      const ref = r.obj("roleRef");
      const refKind = ref.str("kind");
      if (refKind !== "Role" && refKind !== "ClusterRole") throw new ShapeError(ref.at("kind"), `expected Role or ClusterRole, got "${refKind}"`);
      if (kind === "ClusterRoleBinding" && refKind === "Role") throw new ShapeError(ref.at("kind"), "a ClusterRoleBinding can only reference a ClusterRole");
      const subjects = r.each("subjects", (s): Subject => {
        const sk = s.str("kind");
        if (!SUBJECT_KINDS.has(sk)) throw new ShapeError(s.at("kind"), `expected ServiceAccount, User or Group, got "${sk}"`);
        // A ServiceAccount subject of a RoleBinding without a namespace means the binding's own.
        const namespace = s.optStr("namespace") ?? (sk === "ServiceAccount" ? meta.namespace : undefined);
        return compact({ kind: sk as Subject["kind"], name: s.str("name"), namespace });
      });
      return { into: "roleBindings", value: { meta, kind, roleRef: { kind: refKind, name: ref.str("name") }, subjects } };
    },
  };
}

/**
 * Metadata-only lists (how live collection reads Secrets, so values are never transferred) carry no
 * `type`; the well-known types leave recognisable marks in metadata.
 */
function inferSecretType(r: Reader): string {
  const m = r.obj("metadata");
  const annotations = m.strMap("annotations");
  const labels = m.strMap("labels");
  if (annotations["kubernetes.io/service-account.name"]) return "kubernetes.io/service-account-token";
  if (labels["owner"] === "helm" && (m.optStr("name") ?? "").startsWith("sh.helm.release.v1.")) return "helm.sh/release.v1";
  return "unknown";
}

function readSecret(r: Reader): NormalizedObject {
  // Only the key names of data/stringData are looked at; values are never copied.
  const keyNames = (key: string): string[] => Object.keys(r.obj(key).value);
  const keys = [...new Set([...keyNames("data"), ...keyNames("stringData")])].sort();
  const meta = readMeta(r, { namespaced: true });
  meta.annotations = secretAnnotations(meta.annotations);
  return {
    into: "secrets",
    value: compact({
      meta,
      type: r.optStr("type") ?? (r.optStr("apiVersion") === "meta.k8s.io/v1" ? inferSecretType(r) : "Opaque"),
      keys: r.has("data") || r.has("stringData") ? keys : undefined,
    }),
  };
}

function webhookReader(kind: WebhookConfigInfo["kind"]): KindReader {
  return {
    namespaced: false,
    read(r) {
      return {
        into: "webhooks",
        value: {
          meta: readMeta(r, { namespaced: false }),
          kind,
          webhooks: r.each("webhooks", (w) => {
            const cc = w.obj("clientConfig");
            const svc = cc.optObj("service");
            return compact({
              name: w.str("name"),
              failurePolicy: w.optStr("failurePolicy"),
              service: svc ? `${svc.optStr("namespace") ?? "default"}/${svc.str("name")}` : undefined,
              url: cc.optStr("url"),
              rules: w.list("rules").length,
            });
          }),
        },
      };
    },
  };
}

export const KIND_READERS: Record<string, KindReader> = {
  Node: { namespaced: false, read: readNode },
  Namespace: { namespaced: false, read: readNamespace },
  Pod: { namespaced: true, read: readBarePod },
  Deployment: workloadReader("Deployment"),
  ReplicaSet: workloadReader("ReplicaSet"),
  StatefulSet: workloadReader("StatefulSet"),
  DaemonSet: workloadReader("DaemonSet"),
  Job: workloadReader("Job"),
  CronJob: workloadReader("CronJob"),
  // Legacy but valid (core/v1), and still found in real manifests: it creates pods like a ReplicaSet.
  ReplicationController: workloadReader("ReplicationController"),
  Service: { namespaced: true, read: readService },
  EndpointSlice: { namespaced: true, read: readEndpointSlice },
  Ingress: { namespaced: true, read: readIngress },
  NetworkPolicy: { namespaced: true, read: readNetworkPolicy },
  ServiceAccount: { namespaced: true, read: readServiceAccount },
  Role: roleReader("Role"),
  ClusterRole: roleReader("ClusterRole"),
  RoleBinding: bindingReader("RoleBinding"),
  ClusterRoleBinding: bindingReader("ClusterRoleBinding"),
  Secret: { namespaced: true, read: readSecret },
  ValidatingWebhookConfiguration: webhookReader("ValidatingWebhookConfiguration"),
  MutatingWebhookConfiguration: webhookReader("MutatingWebhookConfiguration"),
};

/** Reads one object of a known kind; `undefined` for kinds the model does not keep. */
export function normalizeObject(raw: unknown, kindHint?: string, path = ""): NormalizedObject | undefined {
  const r = Reader.of(raw, path);
  const kind = r.optStr("kind") ?? kindHint;
  if (!kind) throw new ShapeError(r.at("kind"), "required string is missing");
  const reader = KIND_READERS[kind];
  return reader?.read(r);
}
