import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

/** Baseline: unset, RuntimeDefault or a Localhost profile (field form or the legacy annotation form). */
export function allowedAppArmor(profile: string | undefined): boolean {
  if (profile === undefined || profile === "") return true;
  return profile === "RuntimeDefault" || profile.startsWith("Localhost") || profile === "runtime/default" || profile.startsWith("localhost/");
}

export const appArmor: Control = {
  id: "VANTAGE-K8S-APPARMOR",
  title: "Containers must not disable or override the AppArmor profile",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "An Unconfined AppArmor profile removes the runtime's mandatory access control that blocks mounts, raw sockets and writes to /proc.",
  remediation: "Remove the Unconfined AppArmor profile (field or container.apparmor.security.beta.kubernetes.io annotation) or use RuntimeDefault.",
  references: { kubescape: "C-0055", pss: "baseline", defender: "Containers should only use allowed AppArmor profiles" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (pod, c, unit) => {
      const profile = c.securityContext?.appArmorProfile ?? pod.securityContext?.appArmorProfile;
      return allowedAppArmor(profile) ? undefined : { detail: `AppArmor profile ${profile}`, fix: containerPatch(unit.ref.kind, c, { securityContext: { appArmorProfile: { type: "RuntimeDefault" } } }) };
    }),
};
