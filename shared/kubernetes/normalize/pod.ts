// Pod specs (from Pods and from workload templates) → PodInfo. Env values are never read: only
// references to Secrets/ConfigMaps by name survive. Command and args are kept with secret-looking
// values redacted (redact.ts).
import type {
  ContainerInfo,
  ContainerKind,
  EnvSourceRef,
  ObjectMeta,
  PodInfo,
  SecurityContext,
  VolumeInfo,
} from "../model.js";
import { compact, Reader, ShapeError } from "./fields.js";
import { redactList } from "./redact.js";

const WORKLOAD_IDENTITY_LABEL = "azure.workload.identity/use";
const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

function numberAt(r: Reader, key: string, value: unknown, i: number): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new ShapeError(`${r.at(key)}[${i}]`, "expected a number");
}

export function readSecurityContext(r: Reader | undefined): SecurityContext {
  if (!r) return {};
  const caps = r.optObj("capabilities");
  const seccomp = r.optObj("seccompProfile");
  const apparmor = r.optObj("appArmorProfile");
  const se = r.optObj("seLinuxOptions");
  const profile = (p: Reader | undefined): string | undefined => {
    if (!p) return undefined;
    const type = p.str("type");
    const local = p.optStr("localhostProfile");
    return local ? `${type}:${local}` : type;
  };
  return compact({
    privileged: r.optBool("privileged"),
    allowPrivilegeEscalation: r.optBool("allowPrivilegeEscalation"),
    runAsUser: r.optNum("runAsUser"),
    runAsGroup: r.optNum("runAsGroup"),
    runAsNonRoot: r.optBool("runAsNonRoot"),
    readOnlyRootFilesystem: r.optBool("readOnlyRootFilesystem"),
    capabilities: caps ? { add: caps.strList("add"), drop: caps.strList("drop") } : undefined,
    seccompProfile: profile(seccomp),
    appArmorProfile: profile(apparmor),
    procMount: r.optStr("procMount"),
    seLinuxOptions: se ? compact({ type: se.optStr("type"), user: se.optStr("user"), role: se.optStr("role"), level: se.optStr("level") }) : undefined,
    windowsHostProcess: r.optObj("windowsOptions")?.optBool("hostProcess"),
    sysctls: r.has("sysctls") ? r.each("sysctls", (x) => x.str("name")) : undefined,
    supplementalGroups: r.has("supplementalGroups") ? r.list("supplementalGroups").map((g, i) => numberAt(r, "supplementalGroups", g, i)) : undefined,
    fsGroup: r.optNum("fsGroup"),
  });
}

function readEnvSources(c: Reader): EnvSourceRef[] {
  const refs: EnvSourceRef[] = [];
  c.each("env", (e) => {
    e.str("name");
    const from = e.optObj("valueFrom");
    if (!from) return; // a literal value: deliberately not kept
    const secret = from.optObj("secretKeyRef");
    const config = from.optObj("configMapKeyRef");
    if (secret) refs.push(compact({ kind: "Secret" as const, name: secret.str("name"), key: secret.optStr("key") }));
    if (config) refs.push(compact({ kind: "ConfigMap" as const, name: config.str("name"), key: config.optStr("key") }));
  });
  c.each("envFrom", (e) => {
    const secret = e.optObj("secretRef");
    const config = e.optObj("configMapRef");
    if (secret) refs.push({ kind: "Secret", name: secret.str("name") });
    if (config) refs.push({ kind: "ConfigMap", name: config.str("name") });
  });
  return refs;
}

/** `docker-pullable://repo@sha256:…`, `repo@sha256:…` or a bare `sha256:…` → `sha256:…`. */
export function digestFromImageId(imageID: string | undefined): string | undefined {
  const m = imageID && /(sha256:[0-9a-f]{64})\s*$/i.exec(imageID);
  return m ? m[1]!.toLowerCase() : undefined;
}

function readContainer(c: Reader, kind: ContainerKind, appArmor: Record<string, string>, digests: Map<string, string>): ContainerInfo {
  const name = c.str("name");
  const securityContext = readSecurityContext(c.optObj("securityContext"));
  if (!securityContext.appArmorProfile && appArmor[name]) securityContext.appArmorProfile = appArmor[name];
  return compact({
    name,
    kind,
    image: c.str("image"),
    imageDigest: digests.get(`${kind}/${name}`),
    securityContext,
    ports: c.each("ports", (p) =>
      compact({ name: p.optStr("name"), containerPort: p.num("containerPort"), hostPort: p.optNum("hostPort"), protocol: p.optStr("protocol") ?? "TCP" }),
    ),
    volumeMounts: c.each("volumeMounts", (m) =>
      compact({ name: m.str("name"), mountPath: m.str("mountPath"), readOnly: m.optBool("readOnly") ?? false, subPath: m.optStr("subPath") }),
    ),
    envSources: readEnvSources(c),
    command: redactList(c.optStrList("command")),
    args: redactList(c.optStrList("args")),
    resources: readResources(c.optObj("resources")),
  });
}

function readResources(r: Reader | undefined): ContainerInfo["resources"] {
  if (!r) return undefined;
  return { limits: r.strMap("limits"), requests: r.strMap("requests") };
}

function readVolume(v: Reader): VolumeInfo {
  const name = v.str("name");
  const hostPath = v.optObj("hostPath");
  if (hostPath) return { name, type: "hostPath", hostPath: compact({ path: hostPath.str("path"), type: hostPath.optStr("type") }) };
  const secret = v.optObj("secret");
  if (secret) return compact({ name, type: "secret" as const, secretName: secret.optStr("secretName") });
  const configMap = v.optObj("configMap");
  if (configMap) return compact({ name, type: "configMap" as const, configMapName: configMap.optStr("name") });
  const pvc = v.optObj("persistentVolumeClaim");
  if (pvc) return { name, type: "persistentVolumeClaim", claimName: pvc.str("claimName") };
  const projected = v.optObj("projected");
  if (projected) {
    const out: VolumeInfo = { name, type: "projected" };
    const secrets: string[] = [];
    const configMaps: string[] = [];
    projected.each("sources", (s) => {
      const token = s.optObj("serviceAccountToken");
      if (token) out.serviceAccountToken = compact({ path: token.str("path"), audience: token.optStr("audience"), expirationSeconds: token.optNum("expirationSeconds") });
      const sec = s.optObj("secret");
      if (sec) secrets.push(sec.str("name"));
      const cm = s.optObj("configMap");
      if (cm) configMaps.push(cm.str("name"));
    });
    if (secrets.length) out.projectedSecrets = secrets;
    if (configMaps.length) out.projectedConfigMaps = configMaps;
    return out;
  }
  if (v.has("emptyDir")) return { name, type: "emptyDir" };
  if (v.has("downwardAPI")) return { name, type: "downwardAPI" };
  if (v.has("csi")) return { name, type: "csi", source: "csi" };
  const source = Object.keys(v.value).find((k) => k !== "name" && v.has(k));
  return source ? { name, type: "other", source } : { name, type: "other" };
}

/** Image digests by `kind/containerName` from status.{init,ephemeral,}containerStatuses[].imageID. */
function readDigests(status: Reader): Map<string, string> {
  const digests = new Map<string, string>();
  const lists: [string, ContainerKind][] = [
    ["containerStatuses", "container"],
    ["initContainerStatuses", "init"],
    ["ephemeralContainerStatuses", "ephemeral"],
  ];
  for (const [key, kind] of lists)
    status.each(key, (s) => {
      const d = digestFromImageId(s.optStr("imageID"));
      const name = s.optStr("name");
      if (d && name) digests.set(`${kind}/${name}`, d);
    });
  return digests;
}

/**
 * Reads a pod spec. `podReader` is the Pod (or template) holding `spec` and, for real Pods, `status`.
 */
export function readPod(podReader: Reader, meta: ObjectMeta): PodInfo {
  const spec = podReader.obj("spec");
  const status = podReader.obj("status");
  const digests = readDigests(status);
  const appArmor: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta.annotations))
    if (k.startsWith(APPARMOR_ANNOTATION_PREFIX)) appArmor[k.slice(APPARMOR_ANNOTATION_PREFIX.length)] = v;
  const containers = [
    ...spec.each("initContainers", (c) => readContainer(c, "init", appArmor, digests)),
    ...spec.each("containers", (c) => readContainer(c, "container", appArmor, digests)),
    ...spec.each("ephemeralContainers", (c) => readContainer(c, "ephemeral", appArmor, digests)),
  ];
  if (!containers.some((c) => c.kind === "container")) throw new ShapeError(spec.at("containers"), "at least one container is required");
  return compact({
    meta,
    nodeName: spec.optStr("nodeName"),
    phase: status.optStr("phase"),
    serviceAccountName: spec.optStr("serviceAccountName") || spec.optStr("serviceAccount") || "default",
    automountServiceAccountToken: spec.optBool("automountServiceAccountToken"),
    hostNetwork: spec.optBool("hostNetwork") ?? false,
    hostPID: spec.optBool("hostPID") ?? false,
    hostIPC: spec.optBool("hostIPC") ?? false,
    shareProcessNamespace: spec.optBool("shareProcessNamespace") ?? false,
    securityContext: readSecurityContext(spec.optObj("securityContext")),
    containers,
    volumes: spec.each("volumes", readVolume),
    usesWorkloadIdentity: meta.labels[WORKLOAD_IDENTITY_LABEL] === "true" ? true : undefined,
  });
}
