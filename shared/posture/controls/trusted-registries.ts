import { normalizeImageRef } from "../../graph/images.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

/** True when the image's repository is under one of the allowed prefixes ("myacr.azurecr.io" or "myacr.azurecr.io/team"). */
export function fromTrustedRegistry(image: string, allowed: string[]): boolean {
  const repo = normalizeImageRef(image).repository;
  return allowed.some((a) => {
    const prefix = a.toLowerCase().replace(/\/+$/, "");
    return repo === prefix || repo.startsWith(`${prefix}/`);
  });
}

export const trustedRegistries: Control = {
  id: "VANTAGE-K8S-TRUSTED-REGISTRIES",
  title: "Images must come from trusted registries",
  severity: "high",
  category: "Supply chain",
  scope: "container",
  rationale: "Images from unknown registries bypass your scanning, signing and retention; a typo-squatted public image runs with your workload's identity.",
  remediation: "Push the image to an approved registry (e.g. your ACR) and reference it there; configure the allow-list with VANTAGE_TRUSTED_REGISTRIES or --trusted-registries.",
  references: { cisAks: "5.1.4", kubescape: "C-0078", defender: "Container images should be deployed from trusted registries only" },
  evaluate: ({ snapshot, options }) => {
    if (!options.trustedRegistries.length) return { status: "not-assessed", reason: "no trusted registry allow-list is configured", passed: 0, failed: [] };
    // Thousands of pods run the same few images: judge each reference once.
    const trusted = new Map<string, boolean>();
    const allowed = options.trustedRegistries.join(", ");
    return judgeContainers(snapshot, (_pod, c, unit) => {
      let ok = trusted.get(c.image);
      if (ok === undefined) trusted.set(c.image, (ok = fromTrustedRegistry(c.image, options.trustedRegistries)));
      if (ok) return undefined;
      const ref = normalizeImageRef(c.image);
      return { detail: `image ${c.image} is not from ${allowed}`, fix: containerPatch(unit.ref.kind, c, { image: `${options.trustedRegistries[0]}/${ref.repository.split("/").slice(1).join("/")}:${ref.tag ?? "TAG"}` }) };
    });
  },
};
