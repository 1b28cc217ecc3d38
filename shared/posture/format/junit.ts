// JUnit XML for CI dashboards: one testcase per control; failing resources in <failure>,
// not-applicable/not-assessed as <skipped>, a throwing control as <error>, exemptions in <system-out>.
import type { PostureReport } from "../model.js";
import { describeResource } from "./resource.js";

function xml(s: string): string {
  // Characters XML 1.0 forbids are dropped; markup characters escaped.
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function formatJunit(report: PostureReport): string {
  const tests = report.controls.length;
  const failures = report.controls.filter((c) => c.status === "fail").length;
  const errors = report.controls.filter((c) => c.status === "error").length;
  const skipped = report.controls.filter((c) => c.status === "not-applicable" || c.status === "not-assessed").length;
  const suite = xml(`vantage posture ${report.cluster ?? ""} (${report.standard})`.replace("  ", " "));
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="vantage posture" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`, `  <testsuite name="${suite}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`];
  for (const c of report.controls) {
    out.push(`    <testcase classname="${xml(c.category)}" name="${xml(`${c.id}: ${c.title}`)}">`);
    if (c.status === "fail") {
      const body = c.failed.map((f) => `${describeResource(f.resource)}: ${f.detail}\n  fix:\n${f.fix.split("\n").map((l) => `    ${l}`).join("\n")}`).join("\n");
      out.push(`      <failure type="${c.severity}" message="${xml(`${c.failed.length} resource(s) fail (${c.severity})`)}">${xml(body)}</failure>`);
    } else if (c.status === "error") out.push(`      <error message="${xml(c.reason ?? "error")}"/>`);
    else if (c.status === "not-applicable" || c.status === "not-assessed") out.push(`      <skipped message="${xml(`${c.status}: ${c.reason ?? ""}`)}"/>`);
    if (c.exempted.length) out.push(`      <system-out>${xml(c.exempted.map((e) => `exempted ${describeResource(e.resource)}: ${e.reason}${e.expires ? ` (until ${e.expires})` : ""}`).join("\n"))}</system-out>`);
    out.push("    </testcase>");
  }
  out.push("  </testsuite>", "</testsuites>");
  return out.join("\n") + "\n";
}
