// Which ordering an advisory's ecosystem uses. OSV ecosystem names carry a release after a colon
// ("Debian:12", "Alpine:v3.19", "SUSE:Linux Enterprise Server 15 SP5"); only the name before it
// decides the scheme. Our own package types and purl types are accepted too, so callers can pass
// a Package.type as well.
import type { VersionScheme } from "../model.js";

const BY_NAME: ReadonlyMap<string, VersionScheme> = new Map(Object.entries({
  // dpkg-based
  debian: "deb",
  ubuntu: "deb",
  deb: "deb",
  // apk-based
  alpine: "apk",
  wolfi: "apk",
  chainguard: "apk",
  minimos: "apk",
  alpaquita: "apk",
  apk: "apk",
  // rpm-based
  "red hat": "rpm",
  redhat: "rpm",
  rhel: "rpm",
  almalinux: "rpm",
  "rocky linux": "rpm",
  rocky: "rpm",
  centos: "rpm",
  fedora: "rpm",
  "oracle linux": "rpm",
  "amazon linux": "rpm",
  suse: "rpm",
  opensuse: "rpm",
  sles: "rpm",
  "azure linux": "rpm",
  azurelinux: "rpm",
  mariner: "rpm",
  "cbl-mariner": "rpm",
  "photon os": "rpm",
  openeuler: "rpm",
  mageia: "rpm",
  rpm: "rpm",
  // language ecosystems
  npm: "semver",
  semver: "semver",
  pypi: "pep440",
  pep440: "pep440",
  maven: "maven",
  go: "go",
  golang: "go",
  nuget: "nuget",
  rubygems: "gem",
  gem: "gem",
} satisfies Record<string, VersionScheme>));

export function parseSchemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  const name = ecosystem.split(":", 1)[0]!.trim().toLowerCase();
  const exact = BY_NAME.get(name);
  if (exact) return exact;
  // Vendor spellings with a product suffix: "SUSE Linux Enterprise …", "openSUSE Leap …",
  // "Red Hat Enterprise Linux …", "Rocky Linux 9", "Azure Linux 3.0", "Amazon Linux 2023".
  const prefixes = [...BY_NAME.keys()].filter((k) => name.startsWith(`${k} `));
  const longest = prefixes.sort((x, y) => y.length - x.length)[0];
  return longest === undefined ? undefined : BY_NAME.get(longest);
}
