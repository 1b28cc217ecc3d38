// The posture model: a control (catalog entry + pure check) and the one control-result shape every
// surface (CLI, API, Table rows, dashboard, explorer) reads.
import type { RegistryFacts } from "../azure/model.js";
import type { Snapshot } from "../kubernetes/model.js";

export const CONTROL_SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type ControlSeverity = (typeof CONTROL_SEVERITIES)[number];

/** `error`: the control's check threw; the message is kept and the other controls still ran. */
export type ControlStatus = "pass" | "fail" | "not-applicable" | "not-assessed" | "error";

export type ControlScope = "container" | "workload" | "rbac" | "namespace" | "cluster" | "registry" | "node";

export const STANDARDS = ["all", "cis-aks", "pss-baseline", "pss-restricted", "defender"] as const;
export type Standard = (typeof STANDARDS)[number];

/** Public identifiers of equivalent checks, only where a real equivalent exists. */
export interface ControlReferences {
  /** CIS Azure Kubernetes Service Benchmark v1.8.0 section. */
  cisAks?: string;
  /** Kubescape control id (regolibrary). */
  kubescape?: string;
  /** Pod Security Standards profile whose check this is. */
  pss?: "baseline" | "restricted";
  /** Microsoft Defender for Cloud recommendation name. */
  defender?: string;
}

export interface ResourceRef {
  kind: string;
  namespace?: string;
  name: string;
  container?: string;
}

/** One failing resource. `labels` feed exception selectors and are not printed. */
export interface Violation {
  resource: ResourceRef;
  detail: string;
  fix: string;
  labels?: Record<string, string>;
}

/** What a check returns: counted passes and the failures, or why it could not say. */
export interface Assessment {
  status?: "not-applicable" | "not-assessed";
  reason?: string;
  passed: number;
  failed: Violation[];
}

export interface PostureOptions {
  /** Registry hosts (optionally host/path prefixes) images may come from; empty = the control is not assessed. */
  trustedRegistries: string[];
  /** Ports ("443") and ranges ("8000-8099") Services may listen on; absent or empty = the control is not assessed. */
  allowedServicePorts?: string[];
  /** Minor versions ("1.30") the cluster's region supports, when known. */
  supportedKubernetesVersions?: string[];
}

export interface PostureInput {
  snapshot: Snapshot;
  /** Registries of the cluster's subscription (ARM facts), when known. */
  registries?: RegistryFacts[];
  options: PostureOptions;
}

export interface Control {
  id: string;
  title: string;
  severity: ControlSeverity;
  category: string;
  scope: ControlScope;
  rationale: string;
  /** What to do, in words; each failure carries the concrete fix. */
  remediation: string;
  references: ControlReferences;
  evaluate(input: PostureInput): Assessment;
}

export interface ExemptedResult {
  resource: ResourceRef;
  reason: string;
  expires?: string;
}

export interface FailedResult {
  resource: ResourceRef;
  detail: string;
  fix: string;
}

export interface ControlResult {
  id: string;
  title: string;
  severity: ControlSeverity;
  category: string;
  scope: ControlScope;
  references: ControlReferences;
  status: ControlStatus;
  passed: number;
  failed: FailedResult[];
  exempted: ExemptedResult[];
  /** Why not-applicable / not-assessed, or the error message. */
  reason?: string;
}

export interface PostureReport {
  standard: Standard;
  cluster?: string;
  /** 0–100, severity-weighted (see score.ts); null when no control could be assessed. */
  score: number | null;
  controls: ControlResult[];
  warnings?: string[];
}
