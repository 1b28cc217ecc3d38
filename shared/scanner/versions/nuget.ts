// NuGet ordering (NuGet.Versioning's default comparer): up to four numeric parts, missing ones 0
// (1.0 == 1.0.0 == 1.0.0.0); a prerelease ranks below its release; labels compare one by one,
// numeric ones as integers below alphanumeric ones, the latter case-insensitively (ordinal);
// build metadata ignored. NuGet tolerates leading zeros in the numeric parts ("01.0" = "1.0").
// Strings NuGet cannot parse sort before every valid version, among themselves by code unit.
import { compareDigits, comparePrereleaseLists, compareStrings, type Ordering } from "./order.js";

const PATTERN = /^([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const INT32_MAX = 2147483647n;

interface NuGetVersion {
  parts: string[];
  labels: string[];
}

export function parse(version: string): NuGetVersion | undefined {
  const m = PATTERN.exec(version.trim());
  if (!m) return undefined;
  const parts = [m[1]!, m[2] ?? "0", m[3] ?? "0", m[4] ?? "0"];
  // System.Version's parts are Int32.
  if (parts.some((p) => BigInt(p) > INT32_MAX)) return undefined;
  const labels = m[5] ? m[5].split(".") : [];
  // SemVer 2: numeric labels may not carry leading zeros.
  if (labels.some((l) => /^0[0-9]+$/.test(l))) return undefined;
  return { parts, labels };
}

export function compare(a: string, b: string): Ordering {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : compareStrings(a, b);
  for (let i = 0; i < 4; i++) {
    const c = compareDigits(x.parts[i]!, y.parts[i]!);
    if (c) return c;
  }
  return compareLabels(x.labels, y.labels);
}

function compareLabels(a: string[], b: string[]): Ordering {
  return comparePrereleaseLists(a, b, compareLabel);
}

/** One label as NuGet does: Int32-parsable labels numerically and first, others ordinal-ignore-case. */
function compareLabel(a: string, b: string): Ordering {
  const x = asInt32(a);
  const y = asInt32(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (x !== undefined || y !== undefined) return x !== undefined ? -1 : 1;
  return compareStrings(a.toUpperCase(), b.toUpperCase());
}

function asInt32(label: string): bigint | undefined {
  if (!/^-?[0-9]+$/.test(label)) return undefined;
  const n = BigInt(label);
  return n >= -INT32_MAX - 1n && n <= INT32_MAX ? n : undefined;
}
