import type { Control } from "../model.js";
import { judgePods, podPatch } from "../resources.js";

/** Namespaced sysctls the baseline profile allows. */
export const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
];

export const sysctls: Control = {
  id: "VANTAGE-K8S-UNSAFE-SYSCTLS",
  title: "Pods must set only safe sysctls",
  severity: "medium",
  category: "Pod security",
  scope: "workload",
  rationale: "Sysctls outside the safe, namespaced set change kernel behaviour for every pod on the node.",
  remediation: "Remove the sysctl, or move the workload to dedicated nodes and record an exception.",
  references: { pss: "baseline" },
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) => {
      const all = pod.securityContext?.sysctls ?? [];
      const bad = all.filter((s) => !SAFE_SYSCTLS.includes(s));
      return bad.length ? { detail: `sysctls ${bad.join(", ")}`, fix: podPatch(unit.ref.kind, { securityContext: { sysctls: all.filter((s) => SAFE_SYSCTLS.includes(s)).map((name) => ({ name, value: "…" })) } }) } : undefined;
    }),
};
