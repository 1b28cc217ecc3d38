// The `vantage posture --format json` document: the report as is (labels never leave evaluation).
import type { PostureReport } from "../model.js";

export function formatJson(report: PostureReport): string {
  return `${JSON.stringify(report)}\n`;
}
