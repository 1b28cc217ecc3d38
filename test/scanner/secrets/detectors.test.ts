import { describe, expect, it } from "vitest";
import { detectSecrets, looksBinary, redactSecrets } from "../../../shared/scanner/secrets/detectors.js";
import { fingerprint } from "../../../shared/scanner/secrets/fingerprint.js";
import { fake, pemBody } from "./fake-secrets.js";

const rules = (text: string | Uint8Array, path?: string) => detectSecrets(text, { path }).map((m) => m.rule);

describe("detectSecrets: each rule finds its credential and refuses look-alikes", () => {
  it("private keys: PKCS#8, SEC1, PKCS#1, encrypted PKCS#8, OpenSSH", () => {
    for (const pem of [fake.pkcs8Key(), fake.ecKey(), fake.rsaKey(), fake.encryptedKey()]) {
      const [m, ...rest] = detectSecrets(`config:\n${pem}`);
      expect(rest).toEqual([]);
      expect(m!.rule).toBe("private-key");
      expect(m!.line).toBe(2);
      expect(m!.fingerprint).toBe(fingerprint(pemBody(pem)));
    }
    expect(rules(fake.opensshKey())).toEqual(["openssh-private-key"]);
  });

  it("private keys: a header without a key body, a certificate, or bytes that are not DER are not keys", () => {
    expect(rules('if (line === "-----BEGIN PRIVATE KEY-----") parse();')).toEqual([]);
    expect(rules(`-----BEGIN PRIVATE KEY-----\n${"QUJD".repeat(30)}\n-----END PRIVATE KEY-----\n`)).toEqual([]); // "ABC…", not a SEQUENCE
    const notOpenssh = `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.alloc(120, 7).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----`;
    expect(rules(notOpenssh)).toEqual([]);
    expect(rules(`-----BEGIN CERTIFICATE-----\n${"MIIB".repeat(30)}\n-----END CERTIFICATE-----`)).toEqual([]);
    expect(rules(`-----BEGIN PRIVATE KEY-----\n${"MIIB".repeat(30)}\n`)).toEqual([]); // no END
  });

  it("Azure Storage: connection strings and assigned account keys; not the published Azurite key", () => {
    expect(rules(fake.connectionString())).toEqual(["azure-storage-connection-string"]);
    expect(rules(`STORAGE_ACCOUNT_KEY="${fake.storageKey()}"`)).toEqual(["azure-storage-account-key"]);
    expect(rules(`"storageKey": "${fake.storageKey()}"`)).toEqual(["azure-storage-account-key"]);
    const azurite = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    expect(rules(fake.connectionString(azurite))).toEqual([]);
    expect(rules(`AccountKey=${"A".repeat(86)}==`)).toEqual([]); // no entropy
    expect(rules(`checksum=${fake.storageKey()}`)).toEqual([]); // 64 random bytes without a key name
    expect(rules(`AccountKey=${randomB64(48)}`)).toEqual([]); // wrong length
  });

  it("Azure SAS tokens: needs sv=, se=/sp= and a 32-byte signature", () => {
    const sig = fake.sasSignature();
    const [m] = detectSecrets(`url: ${fake.sasUrl(sig)}`);
    expect(m!.rule).toBe("azure-sas-token");
    expect(m!.fingerprint).toBe(fingerprint(sig));
    expect(rules(`https://x.example/?sig=${encodeURIComponent(fake.sasSignature())}`)).toEqual([]); // no sv/se
    expect(rules(`?sv=2022-11-02&se=2030-01-01&sig=abc`)).toEqual([]);
  });

  it("Entra client secrets: the 'digit Q~' shape with entropy", () => {
    expect(rules(`AZURE_CLIENT_SECRET=${fake.entraSecret()}`)).toEqual(["entra-client-secret"]);
    expect(rules(`x = "abc1Q~${"a".repeat(34)}"`)).toEqual([]);
    expect(rules(`Q~ is a digraph`)).toEqual([]);
  });

  it("AWS: key ids by prefix, secret keys by name; the documented examples are allow-listed", () => {
    expect(rules(`aws_access_key_id = ${fake.awsKeyId()}`)).toEqual(["aws-access-key-id"]);
    expect(rules(`aws_secret_access_key = ${fake.awsSecret()}`)).toEqual(["aws-secret-access-key"]);
    expect(rules("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toEqual([]);
    expect(rules(`sha = ${fake.awsSecret()}`)).toEqual([]);
    expect(rules("AKIA1111111111111111")).toEqual([]); // 1 is not base32
  });

  it("GitHub: the CRC32 checksum decides; fine-grained tokens need entropy", () => {
    for (const p of ["ghp", "gho", "ghs", "ghu", "ghr"]) expect(rules(`token: ${fake.githubToken(p)}`)).toEqual(["github-token"]);
    const good = fake.githubToken();
    const broken = `${good.slice(0, -1)}${good.endsWith("A") ? "B" : "A"}`;
    expect(rules(broken)).toEqual([]);
    expect(rules(fake.githubFineGrained())).toEqual(["github-fine-grained-token"]);
    expect(rules(`github_pat_${"a".repeat(22)}_${"b".repeat(59)}`)).toEqual([]);
  });
});

describe("well-known secret files", () => {
  it(".env: secret-named keys with random values; templates and placeholders are not findings", () => {
    const env = `DB_HOST=db\nDB_PASSWORD=${fake.password()}\nexport API_KEY="${fake.password()}"\nSECRET=changeme\nTOKEN=\${TOKEN}\nLOG_LEVEL=debug\n`;
    expect(rules(env, "srv/app/.env")).toEqual(["dotenv-secret", "dotenv-secret"]);
    expect(rules(env, "srv/app/.env.example")).toEqual([]);
    expect(rules(env, "srv/app/settings.txt")).toEqual([]); // not a .env: generic names do not count
  });

  it(".npmrc auth tokens, .git-credentials passwords, Docker config auths", () => {
    expect(rules(`//registry.npmjs.org/:_authToken=${fake.password()}\n`, "root/.npmrc")).toEqual(["npmrc-auth-token"]);
    expect(rules("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", "root/.npmrc")).toEqual([]);
    expect(rules(`https://ci:${fake.password()}@github.com\n`, "root/.git-credentials")).toEqual(["git-credentials"]);
    expect(rules("https://github.com\n", "root/.git-credentials")).toEqual([]);
    const auth = Buffer.from(`ci:${fake.password()}`).toString("base64");
    expect(rules(JSON.stringify({ auths: { "ghcr.io": { auth } } }), "root/.docker/config.json")).toEqual(["docker-config-auth"]);
    const userOnly = Buffer.from("user-only:").toString("base64"); // no password
    expect(rules(JSON.stringify({ auths: { "ghcr.io": { auth: userOnly } } }), "root/.docker/config.json")).toEqual([]);
    expect(rules(JSON.stringify({ credsStore: "desktop" }), "root/.docker/config.json")).toEqual([]);
  });
});

describe("results never carry the value", () => {
  it("fingerprint, hint and title hold at most 4 characters of the value; bytes and strings agree", () => {
    const token = fake.githubToken();
    const text = `a\nb\nGH=${token}\n`;
    const [m] = detectSecrets(text);
    expect(JSON.stringify(m)).not.toContain(token.slice(2, -2));
    expect(m!.hint).toBe(`${token.slice(0, 2)}…${token.slice(-2)}`);
    expect(text.slice(m!.start, m!.end)).toBe(token);
    expect(m!.line).toBe(3);
    expect(detectSecrets(Buffer.from(text))).toEqual([m]);
    expect(fingerprint(token, "other-key")).not.toBe(m!.fingerprint);
  });

  it("redactSecrets replaces every occurrence and keeps the rest", () => {
    const t = fake.githubToken();
    const k = fake.awsKeyId();
    const { text, matches } = redactSecrets(`--token=${t} --again=${t} --key ${k} --verbose`);
    expect(text).toBe("--token=[REDACTED:github-token] --again=[REDACTED:github-token] --key [REDACTED:aws-access-key-id] --verbose");
    expect(matches).toHaveLength(3);
  });

  it("binary detection", () => {
    expect(looksBinary(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]))).toBe(true);
    expect(looksBinary(Buffer.from("plain text"))).toBe(false);
  });
});

function randomB64(bytes: number): string {
  return Buffer.from(Array.from({ length: bytes }, (_, i) => (i * 97 + 13) % 256)).toString("base64");
}
