// Human output: one line per control (status, severity, id, counts, title), failures beneath.
import type { PostureReport } from "../model.js";
import { describeResource } from "./resource.js";

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function formatTable(report: PostureReport, options: { maxPerControl?: number } = {}): string {
  const max = options.maxPerControl ?? 10;
  const lines: string[] = [];
  const counts = (s: string) => report.controls.filter((c) => c.status === s).length;
  lines.push(`${report.cluster ?? "cluster"} — standard ${report.standard} — score ${report.score ?? "n/a"}/100`);
  lines.push(`${report.controls.length} controls: ${counts("fail")} fail, ${counts("pass")} pass, ${counts("not-applicable")} not applicable, ${counts("not-assessed")} not assessed${counts("error") ? `, ${counts("error")} error` : ""}`);
  lines.push("");
  lines.push(`${pad("STATUS", 15)}${pad("SEVERITY", 10)}${pad("CONTROL", 46)}${pad("PASS/FAIL", 11)}TITLE`);
  for (const c of report.controls) {
    const pf = c.status === "pass" || c.status === "fail" ? `${c.passed}/${c.failed.length}` : "-";
    lines.push(`${pad(c.status.toUpperCase(), 15)}${pad(c.severity, 10)}${pad(c.id, 46)}${pad(pf, 11)}${c.title}`);
    for (const f of c.failed.slice(0, max)) lines.push(`${" ".repeat(25)}✗ ${describeResource(f.resource)}: ${f.detail}`);
    if (c.failed.length > max) lines.push(`${" ".repeat(25)}… ${c.failed.length - max} more (--format json lists all, with fixes)`);
    for (const e of c.exempted) lines.push(`${" ".repeat(25)}~ ${describeResource(e.resource)}: exempted — ${e.reason}${e.expires ? ` (until ${e.expires})` : ""}`);
    if (c.reason && c.status !== "pass" && c.status !== "fail") lines.push(`${" ".repeat(25)}${c.reason}`);
  }
  for (const w of report.warnings ?? []) lines.push(`warning: ${w}`);
  return lines.join("\n") + "\n";
}
