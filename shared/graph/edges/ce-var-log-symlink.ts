import { container as containerOf, describeContainer, podFix, grantEvidence } from "../explain.js";
import { covers } from "../context.js";
import { grantAllows, grantIn } from "../rbac.js";
import { edge, type EdgeTechnique } from "./types.js";

export const CE_VAR_LOG_SYMLINK: EdgeTechnique = {
  kind: "CE_VAR_LOG_SYMLINK",
  description: "Arbitrary host file read: plant a symlink in the host's /var/log and read it through the kubelet's log endpoint (GET pods/log with the container's own token).",
  precondition: "The container runs as root, mounts the host's /var/log (or a parent: /var, /) writable through a hostPath volume, and its mounted service-account token may get pods/log for its own pod.",
  from: "container", to: "node", attack: true, source: "kubehound",
  fix: "Remove the hostPath mount of /var/log (or run the container as non-root)",
  derive: (ctx) =>
    ctx.containers
      .filter((c) => c.runsAsRoot && c.tokenMounted && c.mounts.some((m) => m.hostPath && !m.readOnly && covers(m.hostPath, "/var/log")))
      .filter((c) => (ctx.permissionSetsBySubject.get(c.pod.serviceAccountId) ?? []).some((ps) => grantAllows(grantIn(ps, c.pod.namespace, "get", "", "pods", "log"), c.pod.name)))
      .map((c) => edge("CE_VAR_LOG_SYMLINK", c.id, c.pod.node.id)),
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    if (!c) return [];
    const m = c.mounts.find((x) => x.hostPath && !x.readOnly && covers(x.hostPath, "/var/log"));
    const ps = (ctx.permissionSetsBySubject.get(c.pod.serviceAccountId) ?? []).find((p) => grantAllows(grantIn(p, c.pod.namespace, "get", "", "pods", "log"), c.pod.name));
    return [`${describeContainer(c)} runs as root`, `mounts host path ${m?.hostPath} writable at ${m?.mountPath}`, ...grantEvidence(ps, "get pods/log")];
  },
  remedy: (ctx, e) => {
    const c = containerOf(ctx, e.from)!;
    const m = c.mounts.find((x) => x.hostPath && !x.readOnly && covers(x.hostPath, "/var/log"));
    return podFix(c.pod, `volumes[${m?.volume.name ?? "?"}].hostPath`, "remove the volume at {field} (or mount it readOnly)");
  },
};
