// Context builder: pods with their containers, volumes and mounts. Models the automounted
// service-account token volume that offline manifests never show, and joins image findings.
import type { ContainerView, GraphContext, MountView, PodView, VolumeView } from "../context.js";
import { addedCapabilities, isPrivileged, runsAsRoot } from "../../kubernetes/pod-security.js";
import { normalizePath } from "../../kubernetes/pod-security.js";
import { podIsolation } from "../exposure.js";
import { ids } from "../ids.js";
import { normalizeImageRef, type FindingsIndex } from "../images.js";
import { saIdentity, secretRef } from "./identities.js";
import { nodeFor } from "./nodes.js";
import { push } from "./util.js";

const TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

export function addPods(ctx: GraphContext, images: FindingsIndex): void {
  const policies = ctx.snapshot.networkPolicies ?? [];
  for (const pod of ctx.snapshot.pods) {
    const ns = pod.meta.namespace ?? "default";
    const node = nodeFor(ctx, pod);
    const sa = saIdentity(ctx, ns, pod.serviceAccountName || "default", `pod ${ns}/${pod.meta.name}`);
    const tokenAutomounted = pod.automountServiceAccountToken ?? sa.info?.automountServiceAccountToken ?? true;
    const pv: PodView = {
      id: ids.pod(ns, pod.meta.name), name: pod.meta.name, namespace: ns, info: pod, node, serviceAccountId: sa.id,
      serviceAccount: sa.info, tokenAutomounted, containers: [], volumes: [], isolation: podIsolation(pod, policies), exposedBy: [],
    };
    const volumesByName = new Map<string, VolumeView>();
    for (const v of pod.volumes ?? []) {
      const secretNames = [...(v.secretName ? [v.secretName] : []), ...(v.projectedSecrets ?? [])];
      for (const s of secretNames) secretRef(ctx, ns, s);
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
      const cv = containerView(pv, c, images);
      for (const m of c.volumeMounts ?? []) {
        const vol = volumesByName.get(m.name);
        if (!vol) {
          ctx.warnings.push(`container ${ns}/${pod.meta.name}/${c.name} mounts undeclared volume ${m.name}`);
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
      for (const e of c.envSources ?? []) if (e.kind === "Secret") secretRef(ctx, ns, e.name);
      pv.containers.push(cv);
      ctx.containers.push(cv);
    }
    for (const v of pv.volumes) ctx.volumes.push(v);
    ctx.pods.push(pv);
    push(ctx.podsByNode, node.id, pv);
    push(ctx.podsByNamespace, ns, pv);
  }
  for (const sv of ctx.secrets.values()) push(ctx.secretsByNamespace, sv.namespace, sv);
}

function containerView(pv: PodView, c: PodView["info"]["containers"][number], images: FindingsIndex): ContainerView {
  const privileged = isPrivileged(c);
  const caps = new Set(addedCapabilities(c));
  if (privileged) caps.add("ALL");
  const ref = normalizeImageRef(c.image || "unknown");
  return {
    id: ids.container(pv.namespace, pv.name, c.name), name: c.name, pod: pv, info: c, privileged, caps,
    // The image's USER is unknown here: without runAsUser/runAsNonRoot assume root, as the runtime would.
    runsAsRoot: runsAsRoot(pv.info, c),
    mounts: [], imageRef: ref.normalized, imageId: ids.image(ref.normalized), vulns: images.lookup(c.image || "", c.imageDigest), tokenMounted: false,
  };
}
