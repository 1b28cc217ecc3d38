import type { Control } from "../model.js";
import { judgeRegistries } from "../registry-facts.js";

export const acrAdminUser: Control = {
  id: "VANTAGE-AKS-ACR-ADMIN-USER",
  title: "Container registries must not enable the admin user",
  severity: "high",
  category: "Registry",
  scope: "registry",
  rationale: "The admin user is one shared username/password with push and pull rights, outside Entra ID and its audit.",
  remediation: "Disable the admin user; pull with the kubelet identity (AcrPull) and push with Entra identities.",
  references: {},
  evaluate: (input) => judgeRegistries(input, (r) => (r.adminUserEnabled === undefined ? "unknown" : r.adminUserEnabled ? "adminUserEnabled: true" : undefined), (r) => `az acr update --name ${r.name} --admin-enabled false`),
};
