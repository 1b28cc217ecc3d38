// Runs the catalog over one cluster: each control is a pure function of the snapshot and ARM facts;
// one that throws becomes `error` with its message while the others still run. Exceptions then move
// matching failures to `exempted` (expired ones do not apply), and the score is computed.
import { CATALOG } from "./catalog.js";
import { isExpired, matchException, type ExceptionContext, type PostureException } from "./exceptions.js";
import { CONTROL_SEVERITIES, type Control, type ControlResult, type PostureInput, type PostureReport, type Standard } from "./model.js";
import { labelsOfRef } from "./resources.js";
import { postureScore } from "./score.js";

export interface EvaluateOptions {
  standard?: Standard;
  exceptions?: readonly PostureException[];
  /** Expiry of exceptions is judged against this instant (the caller's clock; activities pass theirs). */
  now?: Date;
  context?: ExceptionContext;
  catalog?: readonly Control[];
}

export function inStandard(c: Pick<Control, "references">, standard: Standard): boolean {
  switch (standard) {
    case "all": return true;
    case "cis-aks": return c.references.cisAks !== undefined;
    case "pss-baseline": return c.references.pss === "baseline";
    case "pss-restricted": return c.references.pss !== undefined; // restricted includes baseline
    case "defender": return c.references.defender !== undefined;
  }
}

const SEVERITY_ORDER = new Map(CONTROL_SEVERITIES.map((s, i) => [s, i]));

export function evaluatePosture(input: PostureInput, options: EvaluateOptions = {}): PostureReport {
  const standard = options.standard ?? "all";
  const now = options.now ?? new Date();
  const exceptions = options.exceptions ?? [];
  const ctx: ExceptionContext = options.context ?? { cluster: input.snapshot.cluster.name, subscriptionId: input.snapshot.cluster.subscriptionId };
  const warnings: string[] = [];
  const expiredSeen = new Set<PostureException>();
  const controls: ControlResult[] = [];
  const catalog = [...(options.catalog ?? CATALOG)].filter((c) => inStandard(c, standard));
  catalog.sort((a, b) => SEVERITY_ORDER.get(a.severity)! - SEVERITY_ORDER.get(b.severity)! || a.id.localeCompare(b.id));
  for (const control of catalog) {
    const base = { id: control.id, title: control.title, severity: control.severity, category: control.category, scope: control.scope, references: control.references };
    let assessment;
    try {
      assessment = control.evaluate(input);
    } catch (err) {
      controls.push({ ...base, status: "error", passed: 0, failed: [], exempted: [], reason: (err as Error)?.message ?? String(err) });
      continue;
    }
    const result: ControlResult = { ...base, status: "pass", passed: assessment.passed, failed: [], exempted: [] };
    for (const v of assessment.failed) {
      const e = exceptions.length ? matchException(exceptions, control.id, v.resource, v.labels ?? labelsOfRef(v.resource), ctx) : undefined;
      if (e && !isExpired(e, now)) result.exempted.push({ resource: v.resource, reason: e.reason, ...(e.expires ? { expires: e.expires } : {}) });
      else {
        if (e && !expiredSeen.has(e)) {
          expiredSeen.add(e);
          warnings.push(`exception for ${e.control} expired on ${e.expires}: its resources fail again`);
        }
        // A violation without labels already is the printed shape: no copy for the common case.
        result.failed.push(v.labels === undefined ? v : { resource: v.resource, detail: v.detail, fix: v.fix });
      }
    }
    if (assessment.status) {
      result.status = assessment.status;
      if (assessment.reason) result.reason = assessment.reason;
    } else if (result.failed.length) result.status = "fail";
    else if (!result.passed && !result.exempted.length) {
      result.status = "not-applicable";
      result.reason = "nothing in the cluster this control applies to";
    }
    controls.push(result);
  }
  return { standard, cluster: input.snapshot.cluster.name, score: postureScore(controls), controls, ...(warnings.length ? { warnings } : {}) };
}
