import { covers } from "../context.js";
import { edge, type EdgeTechnique } from "./types.js";

export const CE_VAR_LOG_SYMLINK: EdgeTechnique = {
  kind: "CE_VAR_LOG_SYMLINK",
  description: "Arbitrary host file read: plant a symlink in the host's /var/log and read it through the kubelet's log endpoint.",
  precondition: "The container runs as root and mounts the host's /var/log (or a parent: /var, /) writable through a hostPath volume.",
  from: "container", to: "node", attack: true, source: "kubehound",
  fix: "Remove the hostPath mount of /var/log (or run the container as non-root)",
  derive: (ctx) =>
    ctx.containers
      .filter((c) => c.runsAsRoot && c.mounts.some((m) => m.hostPath && !m.readOnly && covers(m.hostPath, "/var/log")))
      .map((c) => edge("CE_VAR_LOG_SYMLINK", c.id, c.pod.node.id)),
};
