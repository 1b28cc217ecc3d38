// Azure credentials with a structure to check:
// - Storage account keys are 64 random bytes, base64 (88 characters ending "=="); in connection
//   strings they follow "AccountKey=", elsewhere a key-like name must precede them.
// - SAS tokens are query strings with a signed version (sv=YYYY-MM-DD) and a signature (sig=) that is
//   an HMAC-SHA256, i.e. 32 bytes, base64 and usually percent-encoded.
// - Entra ID client secrets: Microsoft publishes no grammar for a secret's value. Secrets issued by
//   Entra since 2021 share an observed shape — 3 characters, a digit, the literal "Q~", then 31–34
//   characters of [A-Za-z0-9_~.-] (40 in total for current ones) — which is what public scanners key
//   on too. The rule requires that shape exactly plus entropy, so it is a strong hint rather than a
//   proof; older secrets (random base64 without "Q~") are only found by the assignment rules.
import { looksRandom } from "../allow-list.js";
import type { RawMatch, SecretRule } from "../model.js";

function decodedLength(b64: string): number {
  return Buffer.from(b64, "base64").length;
}

const CONN_KEY = /AccountKey=([A-Za-z0-9+/]{86}==)/g;

export const azureStorageConnectionString: SecretRule = {
  id: "azure-storage-connection-string",
  title: "Azure Storage connection string with an account key",
  severity: "critical",
  keywords: ["AccountKey="],
  find(text) {
    const out: RawMatch[] = [];
    CONN_KEY.lastIndex = 0;
    for (let m = CONN_KEY.exec(text); m; m = CONN_KEY.exec(text)) {
      const key = m[1]!;
      if (decodedLength(key) !== 64 || !looksRandom(key, 88, 4)) continue;
      const start = m.index + "AccountKey=".length;
      out.push({ rule: this.id, start, end: start + key.length });
    }
    return out;
  },
};

const ASSIGNED_KEY = /(?:storage|account)_?key["']?\s*[:=]\s*["']?([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/gi;

export const azureStorageAccountKey: SecretRule = {
  id: "azure-storage-account-key",
  title: "Azure Storage account key",
  severity: "critical",
  // The names the rule accepts, minus their first letter (so "AccountKey" and "accountKey" share one).
  keywords: ["ccountKey", "ccount_key", "CCOUNT_KEY", "torageKey", "torage_key", "TORAGE_KEY"],
  find(text) {
    const out: RawMatch[] = [];
    ASSIGNED_KEY.lastIndex = 0;
    for (let m = ASSIGNED_KEY.exec(text); m; m = ASSIGNED_KEY.exec(text)) {
      const key = m[1]!;
      // "AccountKey=" inside a connection string is the other rule's.
      if (/AccountKey=$/.test(text.slice(Math.max(0, m.index), m.index + m[0].length - key.length))) continue;
      if (decodedLength(key) !== 64 || !looksRandom(key, 88, 4)) continue;
      const start = m.index + m[0].length - key.length;
      out.push({ rule: this.id, start, end: start + key.length });
    }
    return out;
  },
};

const SIG = /[?&;]sig=([A-Za-z0-9%+/=]{40,128})/g;
const QUERY_STOP = /["'`\s<>\\]/;

export const azureSasToken: SecretRule = {
  id: "azure-sas-token",
  title: "Azure shared access signature (SAS) token",
  severity: "high",
  keywords: ["sig="],
  find(text) {
    const out: RawMatch[] = [];
    SIG.lastIndex = 0;
    for (let m = SIG.exec(text); m; m = SIG.exec(text)) {
      // The surrounding query string must be a SAS: a signed version and an expiry or permissions.
      let from = m.index;
      while (from > 0 && m.index - from < 2048 && !QUERY_STOP.test(text[from - 1]!)) from--;
      let to = m.index + m[0].length;
      while (to < text.length && to - m.index < 2048 && !QUERY_STOP.test(text[to]!)) to++;
      const query = text.slice(from, to);
      if (!/(?:^|[?&;])sv=\d{4}-\d{2}-\d{2}(?:&|;|$)/.test(query) || !/(?:^|[?&;])(?:se|sp)=/.test(query)) continue;
      let sig: string;
      try {
        sig = decodeURIComponent(m[1]!.replace(/&.*$/, ""));
      } catch {
        continue;
      }
      if (!/^[A-Za-z0-9+/]{43}=$/.test(sig) || decodedLength(sig) !== 32 || !looksRandom(sig, 44, 4)) continue;
      const start = m.index + m[0].length - m[1]!.length;
      out.push({ rule: this.id, start, end: start + m[1]!.length, value: sig });
    }
    return out;
  },
};

const ENTRA = /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g;

export const entraClientSecret: SecretRule = {
  id: "entra-client-secret",
  title: "Microsoft Entra ID application client secret",
  severity: "critical",
  keywords: ["Q~"],
  find(text) {
    const out: RawMatch[] = [];
    ENTRA.lastIndex = 0;
    for (let m = ENTRA.exec(text); m; m = ENTRA.exec(text)) {
      if (!looksRandom(m[0], 37, 4)) continue;
      out.push({ rule: this.id, start: m.index, end: m.index + m[0].length });
    }
    return out;
  },
};
