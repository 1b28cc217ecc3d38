// Severity of a vulnerability: the highest CVSS v3.x base score we can compute from its records,
// else the distro/database rating (CVSS v4-only records fall here: no v4 calculator yet).
import { cvss3Score, parseCvss3Vector, severityFromScore } from "../cvss/index.js";
import type { VulnInfo } from "../feed/model.js";
import { SEVERITIES, type Severity } from "../model.js";

export interface SeverityAssessment {
  severity: Severity;
  cvss?: { version: string; score: number; vector: string };
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

const scoreCache = new Map<string, { version: string; score: number } | null>();
function scoreOf(vector: string): { version: string; score: number } | null {
  let hit = scoreCache.get(vector);
  if (hit === undefined) {
    if (scoreCache.size > 10_000) scoreCache.clear();
    const score = cvss3Score(vector);
    hit = score === undefined ? null : { version: parseCvss3Vector(vector)!.version, score };
    scoreCache.set(vector, hit);
  }
  return hit;
}

/** Higher of two severities ("unknown" is the lowest). */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return rank(a) <= rank(b) ? a : b;
}

export function assessSeverity(records: VulnInfo[], extraRatings: Severity[] = []): SeverityAssessment {
  let best: SeverityAssessment["cvss"];
  for (const r of records) {
    if (!r.cvss3) continue;
    const scored = scoreOf(r.cvss3);
    if (!scored) continue;
    if (!best || scored.score > best.score) best = { version: scored.version, score: scored.score, vector: r.cvss3 };
  }
  if (best) return { severity: severityFromScore(best.score), cvss: best };
  let severity: Severity = "unknown";
  for (const s of [...extraRatings, ...records.map((r) => r.rating)]) if (s) severity = maxSeverity(severity, s);
  return { severity };
}
