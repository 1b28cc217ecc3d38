import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

function minor(v: string): string {
  return v.replace(/^v/, "").split(".").slice(0, 2).join(".");
}

export const aksSupportedVersion: Control = {
  id: "VANTAGE-AKS-SUPPORTED-VERSION",
  title: "The cluster must run a supported Kubernetes version",
  severity: "high",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "Out-of-support minor versions stop receiving security patches for the API server and kubelet.",
  remediation: "Upgrade to a supported minor version (az aks get-upgrades lists them).",
  references: {},
  evaluate: (input) => {
    const supported = input.options.supportedKubernetesVersions;
    if (!supported?.length) return { status: "not-assessed", reason: "the region's supported Kubernetes versions are not known (configure VANTAGE_SUPPORTED_K8S_VERSIONS)", passed: 0, failed: [] };
    const minors = new Set(supported.map(minor));
    return judgeCluster(
      input,
      (c) => (!c.kubernetesVersion ? "unknown" : minors.has(minor(c.kubernetesVersion)) ? undefined : `Kubernetes ${c.kubernetesVersion} is not among the supported ${[...minors].join(", ")}`),
      (c) => azAksUpdate(c, "").replace("az aks update", "az aks upgrade").trimEnd() + ` --kubernetes-version <one of ${[...minors].join(", ")}>`,
    );
  },
};
