import type { SecurityContext } from "../../kubernetes/model.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

const ALLOWED_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

function problems(sc: SecurityContext | undefined, where: string): string[] {
  const se = sc?.seLinuxOptions;
  if (!se) return [];
  const out: string[] = [];
  if (se.type !== undefined && !ALLOWED_TYPES.includes(se.type)) out.push(`${where} seLinuxOptions.type ${se.type}`);
  if (se.user) out.push(`${where} seLinuxOptions.user ${se.user}`);
  if (se.role) out.push(`${where} seLinuxOptions.role ${se.role}`);
  return out;
}

export const seLinux: Control = {
  id: "VANTAGE-K8S-SELINUX",
  title: "Pods must not set custom SELinux users, roles or types",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "A custom SELinux type, user or role can lift the confinement the container type provides.",
  remediation: "Remove seLinuxOptions.user/role and use a container_* type (or none).",
  references: { pss: "baseline" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (pod, c, unit) => {
      const found = [...problems(pod.securityContext, "pod"), ...problems(c.securityContext, "container")];
      return found.length ? { detail: found.join("; "), fix: containerPatch(unit.ref.kind, c, { securityContext: { seLinuxOptions: null } }) } : undefined;
    }),
};
