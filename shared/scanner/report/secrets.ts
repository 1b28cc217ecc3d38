// The secret part of every scan output: the JSON `secrets` array, the table section and the SARIF
// rules/results. Each shows where a secret is (layer, path, line), which rule found it, whether a
// later layer deleted the file, and its redacted fingerprint — never the value.
import { createHash } from "node:crypto";
import type { ImageSecret } from "../secrets/image-secrets.js";
import { SECRET_RULES } from "../secrets/detectors.js";

export function secretJson(s: ImageSecret): Record<string, unknown> {
  return {
    rule: s.rule,
    title: s.title,
    severity: s.severity,
    path: s.path,
    line: s.line,
    layerDigest: s.layerDigest,
    layerIndex: s.layerIndex,
    deleted: s.deleted,
    deletedIn: s.deletedIn ?? null,
    fingerprint: s.fingerprint,
    hint: s.hint,
  };
}

export function secretCounts(secrets: readonly ImageSecret[]): { total: number; critical: number; high: number; medium: number; deleted: number } {
  const c = { total: secrets.length, critical: 0, high: 0, medium: 0, deleted: 0 };
  for (const s of secrets) {
    c[s.severity]++;
    if (s.deleted) c.deleted++;
  }
  return c;
}

function shortDigest(d: string): string {
  return d.replace(/^sha256:/, "").slice(0, 12);
}

/** Table rows after the vulnerability rows; "" when the target was not scanned for secrets. */
export function secretsTable(secrets: readonly ImageSecret[] | undefined): string {
  if (!secrets) return "";
  if (!secrets.length) return "\nSecrets: none found.\n";
  const header = ["SEVERITY", "RULE", "PATH", "LAYER", "STATE", "FINGERPRINT"];
  const rows = secrets.map((s) => [
    s.severity.toUpperCase(),
    s.rule,
    `/${s.path}:${s.line}`,
    `${s.layerIndex} ${shortDigest(s.layerDigest)}`,
    s.deleted ? `deleted in ${shortDigest(s.deletedIn ?? "")}` : "present",
    `${s.fingerprint} ${s.hint}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const c = secretCounts(secrets);
  return `\nSecrets: ${c.total} (critical ${c.critical}, high ${c.high}, medium ${c.medium}; in deleted files ${c.deleted})\n\n${[fmt(header), ...rows.map(fmt)].join("\n")}\n`;
}

const LEVEL = { critical: "error", high: "error", medium: "warning" } as const;
const SECURITY_SEVERITY = { critical: "9.0", high: "7.5", medium: "5.0" } as const;

/** SARIF rules and results for secrets; rule ids are "secret/<rule>". */
export function secretsSarif(secrets: readonly ImageSecret[], firstRuleIndex: number): { rules: Record<string, unknown>[]; results: Record<string, unknown>[] } {
  const used = [...new Set(secrets.map((s) => s.rule))].sort();
  const index = new Map(used.map((r, i) => [r, firstRuleIndex + i]));
  const rules = used.map((id) => {
    const rule = SECRET_RULES.find((r) => r.id === id);
    const severity = rule?.severity ?? "high";
    return {
      id: `secret/${id}`,
      name: id.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
      shortDescription: { text: rule?.title ?? id },
      fullDescription: { text: `${rule?.title ?? id} baked into an image layer. Anyone who can pull the image can read it, even if a later layer deleted the file.` },
      help: { text: "Remove the secret from the build (use build secrets or runtime injection, e.g. Key Vault with workload identity), rebuild without the layer, and rotate the credential." },
      defaultConfiguration: { level: LEVEL[severity] },
      properties: { "security-severity": SECURITY_SEVERITY[severity], tags: ["security", "secret", severity] },
    };
  });
  const results = secrets.map((s) => ({
    ruleId: `secret/${s.rule}`,
    ruleIndex: index.get(s.rule)!,
    level: LEVEL[s.severity],
    message: { text: `${s.title} in /${s.path} (layer ${s.layerIndex}${s.deleted ? ", deleted by a later layer but still in the image" : ""}); fingerprint ${s.fingerprint}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: s.path }, region: { startLine: s.line } } }],
    partialFingerprints: { "vantageSecret/v1": createHash("sha256").update(`${s.rule}\u0000${s.path}\u0000${s.fingerprint}`).digest("hex").slice(0, 32) },
    properties: { layerDigest: s.layerDigest, layerIndex: s.layerIndex, deleted: s.deleted, deletedIn: s.deletedIn ?? null, fingerprint: s.fingerprint, hint: s.hint },
  }));
  return { rules, results };
}

const SEVERITIES = new Set(["critical", "high", "medium"]);

/** Reads one entry of a report's `secrets` array back (for `vantage paths --findings`); undefined when malformed. */
export function secretFromJson(v: unknown): ImageSecret | undefined {
  if (!v || typeof v !== "object") return undefined;
  const o = v as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
  const rule = str("rule");
  const path = str("path");
  const layerDigest = str("layerDigest");
  const fingerprint = str("fingerprint");
  const severity = str("severity");
  if (!rule || !path || !layerDigest || !fingerprint || !severity || !SEVERITIES.has(severity)) return undefined;
  return {
    rule, path, layerDigest, fingerprint,
    title: str("title") ?? rule,
    severity: severity as ImageSecret["severity"],
    line: typeof o.line === "number" ? o.line : 0,
    layerIndex: typeof o.layerIndex === "number" ? o.layerIndex : 0,
    deleted: o.deleted === true,
    deletedIn: str("deletedIn"),
    hint: str("hint") ?? "…",
  };
}
