export { matchSbom, matchPackage, scanSbom, buildScanReport, compareFindings, type MatchOptions } from "./match.js";
export { evaluateRange, evaluateEntry, type RangeVerdict, type EntryVerdict } from "./ranges.js";
export { matchTargets, stripBinNmu, type MatchTarget } from "./targets.js";
export { assessSeverity, maxSeverity, type SeverityAssessment } from "./severity.js";
export { assessExploitability, isRemoteCodeExecution, attackFacts } from "./exploitability.js";
