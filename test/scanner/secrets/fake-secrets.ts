// Fake credentials generated per run (nothing secret-looking is committed): random values with each
// format's real structure, so the detectors' structural checks are exercised, not bypassed.
import { generateKeyPairSync, randomBytes, randomInt } from "node:crypto";
import { base62Checksum } from "../../../shared/scanner/secrets/rules/github.js";

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomFrom(alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

export const fake = {
  githubToken(prefix = "ghp"): string {
    const payload = randomFrom(ALNUM, 30);
    return `${prefix}_${payload}${base62Checksum(payload)}`;
  },
  githubFineGrained(): string {
    return `github_pat_${randomFrom(ALNUM, 22)}_${randomFrom(ALNUM, 59)}`;
  },
  storageKey(): string {
    return randomBytes(64).toString("base64");
  },
  connectionString(key: string = randomBytes(64).toString("base64")): string {
    return `DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=${key};EndpointSuffix=core.windows.net`;
  },
  sasSignature(): string {
    return randomBytes(32).toString("base64");
  },
  sasUrl(sig: string = randomBytes(32).toString("base64")): string {
    return `https://shopdata.blob.core.windows.net/orders?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${encodeURIComponent(sig)}`;
  },
  entraSecret(): string {
    return `${randomFrom(ALNUM, 3)}${randomInt(10)}Q~${randomFrom(`${ALNUM}_~.-`, 34)}`;
  },
  awsKeyId(): string {
    return `AKIA${randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
  },
  awsSecret(): string {
    return randomFrom(`${ALNUM}/+`, 40);
  },
  pkcs8Key(): string {
    return generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  },
  ecKey(): string {
    return generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "sec1", format: "pem" }) as string;
  },
  rsaKey(): string {
    return generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }) as string;
  },
  encryptedKey(): string {
    return generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pass" }) as string;
  },
  /** openssh-key-v1 magic + random bytes, armoured as ssh-keygen does (70 columns). */
  opensshKey(): string {
    const b64 = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), randomBytes(300)]).toString("base64");
    return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64.match(/.{1,70}/g)!.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
  },
  password(): string {
    return randomFrom(ALNUM, 24);
  },
};

/** The base64 body of a PEM block (what the detector fingerprints). */
export function pemBody(pem: string): string {
  return pem.split("\n").filter((l) => l && !l.startsWith("-----") && !l.includes(":")).join("");
}
