import type { Control } from "../model.js";
import { judgeRegistries } from "../registry-facts.js";

export const acrPublicNetwork: Control = {
  id: "VANTAGE-AKS-ACR-PUBLIC-NETWORK",
  title: "Container registries should disable public network access",
  severity: "medium",
  category: "Registry",
  scope: "registry",
  rationale: "A registry reachable from the internet exposes its credentials and images to password spraying and exfiltration.",
  remediation: "Disable public network access and reach the registry through a private endpoint.",
  references: {},
  evaluate: (input) => judgeRegistries(input, (r) => (r.publicNetworkAccess === undefined ? "unknown" : r.publicNetworkAccess === "Disabled" ? undefined : `publicNetworkAccess: ${r.publicNetworkAccess}`), (r) => `az acr update --name ${r.name} --public-network-enabled false`),
};
