import { container as containerOf, describeContainer, podFix } from "../explain.js";
import { covers } from "../context.js";
import { edge, type EdgeTechnique } from "./types.js";

export const CE_UMH_CORE_PATTERN: EdgeTechnique = {
  kind: "CE_UMH_CORE_PATTERN",
  description: "Container escape: point the host's /proc/sys/kernel/core_pattern usermode helper at a container binary.",
  precondition: "The container mounts the host's /proc/sys/kernel (or a parent: /proc/sys, /proc, /) writable through a hostPath volume.",
  from: "container", to: "node", attack: true, source: "kubehound",
  fix: "Remove the hostPath mount of /proc (or make it readOnly)",
  derive: (ctx) =>
    ctx.containers
      .filter((c) => c.mounts.some((m) => m.hostPath && !m.readOnly && covers(m.hostPath, "/proc/sys/kernel")))
      .map((c) => edge("CE_UMH_CORE_PATTERN", c.id, c.pod.node.id)),
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    const m = c?.mounts.find((x) => x.hostPath && !x.readOnly && covers(x.hostPath, "/proc/sys/kernel"));
    return c && m ? [`${describeContainer(c)} mounts host path ${m.hostPath} writable at ${m.mountPath} (volume ${m.volume.name})`] : [];
  },
  remedy: (ctx, e) => {
    const c = containerOf(ctx, e.from)!;
    const m = c.mounts.find((x) => x.hostPath && !x.readOnly && covers(x.hostPath, "/proc/sys/kernel"));
    return podFix(c.pod, `volumes[${m?.volume.name ?? "?"}].hostPath`, "remove the volume at {field} (or mount it readOnly)");
  },
};
