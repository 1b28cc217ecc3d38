// Private keys in PEM armour (PKCS#1 RSA, SEC1 EC, DSA, PKCS#8 plain and encrypted, PGP) and in
// OpenSSH's own format. Structure, not just the header, decides: the body must be base64 that decodes
// to a DER SEQUENCE (or, for OpenSSH, to the "openssh-key-v1\0" magic), so a header quoted in
// documentation or code ("-----BEGIN PRIVATE KEY-----" in a parser) is not a finding.
import type { RawMatch, SecretRule } from "../model.js";

const BEGIN = /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g;
/** Keys are a few KB; a BEGIN without its END this far on is not a key. */
const MAX_BODY = 64 * 1024;
const MIN_BODY = 64;
const OPENSSH_MAGIC = "openssh-key-v1\0";

function body(text: string, from: number, label: string): { end: number; b64: string } | undefined {
  const endMarker = `-----END ${label}-----`;
  const end = text.indexOf(endMarker, from);
  if (end < 0 || end - from > MAX_BODY) return undefined;
  // Drop RFC 1421 headers (Proc-Type, DEK-Info) and PGP armour headers, then keep base64 only.
  const lines = text.slice(from, end).split(/\r?\n/).filter((l) => l.trim() && !/^[A-Za-z-]+:/.test(l.trim()));
  if (label.startsWith("PGP")) {
    // The last line of an armoured PGP block is the "=XXXX" CRC-24 checksum.
    if (lines.length && /^=[A-Za-z0-9+/]{4}$/.test(lines[lines.length - 1]!.trim())) lines.pop();
  }
  const b64 = lines.map((l) => l.trim()).join("");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length < MIN_BODY) return undefined;
  return { end: end + endMarker.length, b64 };
}

function structured(label: string, b64: string): "openssh" | "pem" | undefined {
  const der = Buffer.from(b64.slice(0, 64), "base64");
  if (label === "OPENSSH PRIVATE KEY") return der.toString("latin1", 0, OPENSSH_MAGIC.length) === OPENSSH_MAGIC ? "openssh" : undefined;
  if (label.startsWith("PGP")) return "pem"; // OpenPGP packets: a secret-key packet tag byte has bit 7 set
  return der[0] === 0x30 ? "pem" : undefined;
}

function findKeys(text: string, want: "openssh" | "pem"): RawMatch[] {
  const out: RawMatch[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
    const label = m[1]!;
    const b = body(text, m.index + m[0].length, label);
    if (!b) continue;
    if (label.startsWith("PGP") && (Buffer.from(b.b64.slice(0, 4), "base64")[0]! & 0x80) === 0) continue;
    const kind = structured(label, b.b64);
    if (kind === want) out.push({ rule: want === "openssh" ? "openssh-private-key" : "private-key", start: m.index, end: b.end, value: b.b64 });
    BEGIN.lastIndex = b.end;
  }
  return out;
}

export const privateKey: SecretRule = {
  id: "private-key",
  title: "Private key (PEM: RSA, EC, DSA, PKCS#8, encrypted PKCS#8, PGP)",
  severity: "high",
  keywords: ["PRIVATE KEY-----"],
  find: (text) => findKeys(text, "pem"),
};

export const opensshPrivateKey: SecretRule = {
  id: "openssh-private-key",
  title: "OpenSSH private key",
  severity: "high",
  keywords: ["PRIVATE KEY-----"], // shared with private-key, so the prefilter scans for it once
  find: (text) => findKeys(text, "openssh"),
};
