import type { Control } from "../model.js";

export const aksAuditLogs: Control = {
  id: "VANTAGE-AKS-AUDIT-LOGS",
  title: "Control plane audit logs should be collected",
  severity: "medium",
  category: "Logging",
  scope: "cluster",
  rationale: "kube-audit logs are the only record of who did what through the API server.",
  remediation: "Create a diagnostic setting on the cluster sending kube-audit-admin to Log Analytics or a storage account.",
  references: { cisAks: "2.1.1", kubescape: "C-0254" },
  // Diagnostic settings are a separate ARM resource Vantage's role does not read.
  evaluate: () => ({ status: "not-assessed", reason: "diagnostic settings (Microsoft.Insights) are not read by Vantage's operator role", passed: 0, failed: [] }),
};
