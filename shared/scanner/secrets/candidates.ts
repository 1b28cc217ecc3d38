// Which files of an image the secret rules read. Decided from the tar entry alone (path and size) so
// unwanted bodies are skipped without copying, exactly as for catalogers. Read: well-known secret
// files anywhere, files under home directories, and text/config/source files by extension. Not
// read: OS-owned trees (documentation, libraries, package databases, CA bundles) and vendored
// dependency trees (node_modules, site-packages, vendor, .git) — third-party code whose test
// fixtures are the classic false positives, and most of an image's bytes.
import { isDockerConfig, isDotenv } from "./rules/files.js";

const SKIP_PREFIXES = [
  "usr/share/", "usr/lib/", "usr/lib64/", "usr/libexec/", "usr/include/", "usr/src/", "lib/", "lib64/",
  "var/lib/dpkg/", "var/lib/rpm/", "var/lib/apk/", "var/cache/", "var/log/", "etc/ssl/certs/", "etc/pki/ca-trust/", "proc/", "sys/", "dev/",
];
const SKIP_SEGMENTS = ["/node_modules/", "/site-packages/", "/dist-packages/", "/vendor/", "/.git/", "/__pycache__/"];

const KEY_FILES = new Set(["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk", ".npmrc", "npmrc", ".git-credentials", ".pgpass", ".netrc", "credentials"]);
const KEY_EXT = /\.(pem|key|p8|ppk|asc)$/i;
const TEXT_EXT = /\.(json|ya?ml|xml|config|conf|cfg|cnf|ini|properties|toml|env|sh|bash|zsh|ps1|py|js|mjs|cjs|ts|rb|php|go|java|cs|kt|scala|txt|tf|tfvars|sql|npmrc|secret|secrets|token|creds?)$/i;

export type CandidateKind = "well-known" | "content";

/** The reason to read a file, or undefined to skip it. `path` is normalized (no leading "/"). */
export function secretCandidate(path: string): CandidateKind | undefined {
  const slashed = `/${path}`;
  for (const p of SKIP_PREFIXES) if (path.startsWith(p)) return undefined;
  for (const s of SKIP_SEGMENTS) if (slashed.includes(s)) return undefined;
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (KEY_FILES.has(base) || KEY_EXT.test(base) || isDotenv(path) || isDockerConfig(path)) return "well-known";
  if (TEXT_EXT.test(base)) return "content";
  // Home directories hold shell histories and tool configs without extensions.
  if (path.startsWith("root/") || path.startsWith("home/")) return "content";
  return undefined;
}
