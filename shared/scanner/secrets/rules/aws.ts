// AWS credentials. Access key ids have a documented shape (a 4-letter type prefix — AKIA long-term,
// ASIA temporary, ABIA/ACCA service — and 16 base32 characters); they identify a key but do not
// authenticate alone. Secret access keys (40 characters of base64) have no prefix, so the rule needs
// the name they are assigned to.
import { looksRandom } from "../allow-list.js";
import type { RawMatch, SecretRule } from "../model.js";

const KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/g;

export const awsAccessKeyId: SecretRule = {
  id: "aws-access-key-id",
  title: "AWS access key id",
  severity: "medium",
  keywords: ["AKIA", "ASIA", "ABIA", "ACCA"],
  find(text) {
    const out: RawMatch[] = [];
    KEY_ID.lastIndex = 0;
    for (let m = KEY_ID.exec(text); m; m = KEY_ID.exec(text)) {
      if (!looksRandom(m[0].slice(4), 16, 3)) continue;
      out.push({ rule: this.id, start: m.index, end: m.index + m[0].length });
    }
    return out;
  },
};

const SECRET = /(?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi;

export const awsSecretAccessKey: SecretRule = {
  id: "aws-secret-access-key",
  title: "AWS secret access key",
  severity: "critical",
  keywords: ["ecret_access_key", "ECRET_ACCESS_KEY", "ecretAccessKey"],
  find(text) {
    const out: RawMatch[] = [];
    SECRET.lastIndex = 0;
    for (let m = SECRET.exec(text); m; m = SECRET.exec(text)) {
      const value = m[1]!;
      if (!looksRandom(value, 40, 4)) continue;
      const start = m.index + m[0].length - value.length;
      out.push({ rule: this.id, start, end: start + value.length });
    }
    return out;
  },
};
