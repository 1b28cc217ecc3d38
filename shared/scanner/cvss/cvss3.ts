// CVSS v3.0/v3.1 base score, from the FIRST specification's formulas (section 7.1 and Appendix A's
// Roundup). Pure: a vector string in, a score out.
import type { Severity } from "../model.js";

export interface Cvss3Metrics {
  version: "3.0" | "3.1";
  AV: "N" | "A" | "L" | "P";
  AC: "L" | "H";
  PR: "N" | "L" | "H";
  UI: "N" | "R";
  S: "U" | "C";
  C: "H" | "L" | "N";
  I: "H" | "L" | "N";
  A: "H" | "L" | "N";
}

const ALLOWED: Record<string, readonly string[]> = {
  AV: ["N", "A", "L", "P"],
  AC: ["L", "H"],
  PR: ["N", "L", "H"],
  UI: ["N", "R"],
  S: ["U", "C"],
  C: ["H", "L", "N"],
  I: ["H", "L", "N"],
  A: ["H", "L", "N"],
};

/** Parses `CVSS:3.x/AV:…/…`; temporal/environmental metrics are accepted and ignored. Undefined when invalid. */
export function parseCvss3Vector(vector: string): Cvss3Metrics | undefined {
  const parts = vector.trim().split("/");
  const head = /^CVSS:(3\.[01])$/.exec(parts[0] ?? "");
  if (!head) return undefined;
  const seen: Record<string, string> = {};
  for (const part of parts.slice(1)) {
    const [key, value, extra] = part.split(":");
    if (!key || value === undefined || extra !== undefined || key in seen) return undefined;
    seen[key] = value;
  }
  for (const [key, allowed] of Object.entries(ALLOWED)) {
    if (!allowed.includes(seen[key] ?? "")) return undefined;
  }
  return { version: head[1] as "3.0" | "3.1", ...(seen as Omit<Cvss3Metrics, "version">) };
}

/** CVSS 3.1 Roundup: smallest number with one decimal >= input, robust to float noise. */
export function roundUp1(value: number): number {
  const scaled = Math.round(value * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

const AV = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC = { L: 0.77, H: 0.44 };
const UI = { N: 0.85, R: 0.62 };
const CIA = { H: 0.56, L: 0.22, N: 0 };

export function cvss3BaseScore(metrics: Cvss3Metrics): number {
  const changed = metrics.S === "C";
  const pr = metrics.PR === "N" ? 0.85 : metrics.PR === "L" ? (changed ? 0.68 : 0.62) : changed ? 0.5 : 0.27;
  const iss = 1 - (1 - CIA[metrics.C]) * (1 - CIA[metrics.I]) * (1 - CIA[metrics.A]);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * AV[metrics.AV] * AC[metrics.AC] * pr * UI[metrics.UI];
  if (impact <= 0) return 0;
  return changed ? roundUp1(Math.min(1.08 * (impact + exploitability), 10)) : roundUp1(Math.min(impact + exploitability, 10));
}

/** Base score of a vector string, or undefined when the vector is not valid CVSS 3.x. */
export function cvss3Score(vector: string): number | undefined {
  const metrics = parseCvss3Vector(vector);
  return metrics ? cvss3BaseScore(metrics) : undefined;
}

/** Qualitative rating (same bands in v3 and v4). "None" (0.0) maps to low: it is still a finding. */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  return "low";
}
