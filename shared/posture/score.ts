// The posture score, 0–100, severity-weighted:
//   each control with status pass or fail contributes its weight w (critical 10, high 5, medium 2,
//   low 1) times the share of its resources that pass: w × passed / (passed + failed);
//   score = floor(100 × Σ contributions / Σ w) — rounded down, so 100 means nothing fails.
// Exempted resources count on neither side; not-applicable, not-assessed and error controls are
// left out (an unassessed control never raises or lowers the score). null when nothing was assessed.
import type { ControlResult, ControlSeverity } from "./model.js";

export const SEVERITY_WEIGHT: Record<ControlSeverity, number> = { critical: 10, high: 5, medium: 2, low: 1 };

export function postureScore(results: Pick<ControlResult, "status" | "severity" | "passed" | "failed">[]): number | null {
  let total = 0;
  let earned = 0;
  for (const r of results) {
    if (r.status !== "pass" && r.status !== "fail") continue;
    const n = r.passed + r.failed.length;
    if (n === 0) continue;
    const w = SEVERITY_WEIGHT[r.severity];
    total += w;
    earned += (w * r.passed) / n;
  }
  return total === 0 ? null : Math.floor((100 * earned) / total + 1e-9);
}

/** The score of several clusters together (a subscription): per control, passes and failures summed. */
export function combinedScore(reports: { controls: Pick<ControlResult, "id" | "status" | "severity" | "passed" | "failed">[] }[]): number | null {
  const byId = new Map<string, { status: ControlResult["status"]; severity: ControlSeverity; passed: number; failed: unknown[] }>();
  for (const rep of reports)
    for (const c of rep.controls) {
      if (c.status !== "pass" && c.status !== "fail") continue;
      const acc = byId.get(c.id) ?? { status: "pass" as const, severity: c.severity, passed: 0, failed: [] as unknown[] };
      acc.passed += c.passed;
      acc.failed = acc.failed.concat(c.failed);
      if (c.status === "fail") acc.status = "fail";
      byId.set(c.id, acc);
    }
  return postureScore([...byId.values()] as Pick<ControlResult, "status" | "severity" | "passed" | "failed">[]);
}
