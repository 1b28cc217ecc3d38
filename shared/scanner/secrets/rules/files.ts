// Well-known secret files: their name says what they hold, so the rules read their syntax instead of
// guessing from shapes. Each applies only to its file names; the content rules run on them too.
import { isAllowListed, looksRandom } from "../allow-list.js";
import type { RawMatch, SecretRule } from "../model.js";

function base(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** `.env`, `.env.production`, `prod.env` — not the templates (`.env.example`, `.env.sample`, …). */
export function isDotenv(path: string): boolean {
  const b = base(path).toLowerCase();
  if (/\.(example|sample|template|dist|defaults?|tmpl|tpl)$/.test(b)) return false;
  return b === ".env" || b.startsWith(".env.") || b.endsWith(".env");
}

const SECRET_NAME = /(pass(word|wd)?|pwd|secret|token|api_?key|access_?key|private_?key|credential|auth|conn(ection)?_?str(ing)?)/i;
const DOTENV_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s#]*))/gm;

export const dotenvSecret: SecretRule = {
  id: "dotenv-secret",
  title: "Secret value in a .env file",
  severity: "high",
  keywords: ["="],
  appliesTo: isDotenv,
  find(text) {
    const out: RawMatch[] = [];
    DOTENV_LINE.lastIndex = 0;
    for (let m = DOTENV_LINE.exec(text); m; m = DOTENV_LINE.exec(text)) {
      if (!SECRET_NAME.test(m[1]!)) continue;
      const value = m[2] ?? m[3] ?? m[4] ?? "";
      if (!value || isAllowListed(value) || !looksRandom(value, 8, 3)) continue;
      const start = m.index + m[0].length - value.length - (m[4] !== undefined ? 0 : 1);
      out.push({ rule: this.id, start, end: start + value.length });
    }
    return out;
  },
};

const NPM_AUTH = /^[ \t]*(?:\/\/[^\s=]*:)?(_authToken|_auth|_password)[ \t]*=[ \t]*"?([^\s"]+)"?/gm;

export const npmrcAuthToken: SecretRule = {
  id: "npmrc-auth-token",
  title: "npm registry credential in .npmrc",
  severity: "high",
  keywords: ["_auth", "_password"],
  appliesTo: (path) => base(path) === ".npmrc" || base(path) === "npmrc",
  find(text) {
    const out: RawMatch[] = [];
    NPM_AUTH.lastIndex = 0;
    for (let m = NPM_AUTH.exec(text); m; m = NPM_AUTH.exec(text)) {
      const value = m[2]!;
      if (value.length < 8 || isAllowListed(value)) continue;
      const start = m.index + m[0].lastIndexOf(value);
      out.push({ rule: this.id, start, end: start + value.length });
    }
    return out;
  },
};

const GIT_CRED = /^[ \t]*[a-z][a-z0-9+.-]*:\/\/([^:@\s/]*):([^@\s/]+)@[^\s]+/gim;

export const gitCredentials: SecretRule = {
  id: "git-credentials",
  title: "Password or token in .git-credentials",
  severity: "high",
  keywords: ["@"],
  appliesTo: (path) => base(path) === ".git-credentials",
  find(text) {
    const out: RawMatch[] = [];
    GIT_CRED.lastIndex = 0;
    for (let m = GIT_CRED.exec(text); m; m = GIT_CRED.exec(text)) {
      const value = m[2]!;
      if (isAllowListed(value)) continue;
      const start = m.index + m[0].indexOf(`:${value}@`) + 1;
      out.push({ rule: this.id, start, end: start + value.length });
    }
    return out;
  },
};

/** Docker's `config.json` (~/.docker, /root/.docker) and the containers `auth.json`. */
export function isDockerConfig(path: string): boolean {
  return /(^|\/)\.docker\/config\.json$/.test(path) || /(^|\/)containers\/auth\.json$/.test(path);
}

const AUTH_FIELD = /"(auth|identitytoken|registrytoken|password)"\s*:\s*"([^"\\]{8,})"/g;

export const dockerConfigAuth: SecretRule = {
  id: "docker-config-auth",
  title: "Registry credential in a Docker config.json",
  severity: "high",
  keywords: ['"auth', '"identitytoken"', '"registrytoken"', '"password"'],
  appliesTo: isDockerConfig,
  find(text) {
    const out: RawMatch[] = [];
    AUTH_FIELD.lastIndex = 0;
    for (let m = AUTH_FIELD.exec(text); m; m = AUTH_FIELD.exec(text)) {
      const [, field, value] = m as unknown as [string, string, string];
      if (isAllowListed(value)) continue;
      // "auth" is base64("user:password"): only a non-empty password makes it a credential.
      if (field === "auth") {
        const decoded = Buffer.from(value, "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        if (colon < 0 || colon === decoded.length - 1) continue;
      }
      const start = m.index + m[0].length - value.length - 1;
      out.push({ rule: this.id, start, end: start + value.length });
    }
    return out;
  },
};
