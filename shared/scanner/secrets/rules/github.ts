// GitHub tokens. The prefixed formats (2021) are "gh" + a type letter (p personal, o OAuth, u
// user-to-server, s server-to-server, r refresh) + "_" + 30 base62 characters + a 6-character
// base62 CRC32 of those 30 (alphabet 0-9A-Za-z): the checksum is verified, so a random look-alike is
// rejected without asking GitHub. Fine-grained personal access tokens ("github_pat_" + 22 + "_" + 59)
// publish no checksum; they need entropy.
import { looksRandom } from "../allow-list.js";
import type { RawMatch, SecretRule } from "../model.js";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// CRC-32 (IEEE, as zlib computes it); node:zlib only gained crc32 in Node 20.15.
const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(s: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) crc = TABLE[(crc ^ s.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function base62Checksum(payload: string): string {
  let n = crc32(payload);
  let s = "";
  while (n > 0) {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s.padStart(6, "0");
}

const CLASSIC = /(?<![A-Za-z0-9_])gh[pousr]_([A-Za-z0-9]{30})([A-Za-z0-9]{6})(?![A-Za-z0-9_])/g;
const FINE = /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g;

export const githubToken: SecretRule = {
  id: "github-token",
  title: "GitHub token (personal, OAuth, app or refresh)",
  severity: "high",
  keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
  find(text) {
    const out: RawMatch[] = [];
    CLASSIC.lastIndex = 0;
    for (let m = CLASSIC.exec(text); m; m = CLASSIC.exec(text)) {
      if (base62Checksum(m[1]!) !== m[2]) continue;
      out.push({ rule: this.id, start: m.index, end: m.index + m[0].length });
    }
    return out;
  },
};

export const githubFineGrainedToken: SecretRule = {
  id: "github-fine-grained-token",
  title: "GitHub fine-grained personal access token",
  severity: "high",
  keywords: ["github_pat_"],
  find(text) {
    const out: RawMatch[] = [];
    FINE.lastIndex = 0;
    for (let m = FINE.exec(text); m; m = FINE.exec(text)) {
      if (!looksRandom(m[0].slice(11), 82, 4)) continue;
      out.push({ rule: this.id, start: m.index, end: m.index + m[0].length });
    }
    return out;
  },
};
