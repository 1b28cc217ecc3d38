// Demo image files that are not literal text in demo/images/*.json:
//   "@whiteout"                 deletes the path from lower layers (what `RUN rm` leaves in an image)
//   "@generate:ed25519-pkcs8"   a fake Ed25519 private key (PKCS#8 PEM), made while the image is built
// The key is derived from the path (a SHA-256 seed), so no key material is committed and rebuilt
// demo images keep their digests (a restarted demo resumes with the same images).
import { createHash, createPrivateKey } from "node:crypto";
import type { LayerFile } from "./builder.js";

/** PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410) up to the 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export function plantedEd25519Pem(path: string): string {
  const seed = createHash("sha256").update(`vantage-demo-planted-key:${path}`).digest();
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  return key.export({ format: "pem", type: "pkcs8" }) as string;
}

export function demoLayerFile(path: string, content: string): LayerFile {
  if (content === "@whiteout") return { path, type: "whiteout" };
  if (content === "@generate:ed25519-pkcs8") return { path, content: plantedEd25519Pem(path) };
  return { path, content };
}
