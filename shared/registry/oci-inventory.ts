// The inventory of a registry served from OCI image layouts (`oci:DIR`, one layout per repository
// at DIR/<repository>): each layout's index.json names its tagged manifests through the
// `org.opencontainers.image.ref.name` annotation. Layouts record no push time.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { RegistryError } from "./errors.js";
import type { InventoryImage } from "./inventory.js";

const REF_NAME = "org.opencontainers.image.ref.name";
const MAX_DEPTH = 6;
const MAX_INDEX_BYTES = 4 * 1024 * 1024;

async function layouts(root: string, dir: string, depth: number, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (dir === root) throw new RegistryError(`oci:${root}: ${(err as Error).message}`, "NotFound", 404);
    return;
  }
  if (entries.some((e) => e.isFile() && e.name === "oci-layout")) {
    out.push(dir);
    return;
  }
  if (depth >= MAX_DEPTH) return;
  for (const e of entries) if (e.isDirectory() && e.name !== "blobs") await layouts(root, join(dir, e.name), depth + 1, out);
}

export async function inventoryOciLayouts(root: string): Promise<{ repositories: number; tags: number; images: InventoryImage[]; truncated: boolean }> {
  const dirs: string[] = [];
  await layouts(root, root, 0, dirs);
  const byDigest = new Map<string, Set<string>>();
  let tags = 0;
  for (const dir of dirs.sort()) {
    const repository = relative(root, dir).split(sep).join("/");
    const file = join(dir, "index.json");
    if ((await stat(file)).size > MAX_INDEX_BYTES) throw new RegistryError(`${file}: index.json exceeds ${MAX_INDEX_BYTES} bytes`, "TooLarge");
    let index: { manifests?: { digest?: unknown; annotations?: Record<string, unknown> }[] };
    try {
      index = JSON.parse(await readFile(file, "utf8"));
    } catch {
      throw new RegistryError(`${file}: not a JSON image index`, "BadResponse");
    }
    for (const m of index.manifests ?? []) {
      const tag = m.annotations?.[REF_NAME];
      if (typeof m.digest !== "string" || !/^sha256:[0-9a-f]{64}$/.test(m.digest) || typeof tag !== "string" || !tag) continue;
      tags++;
      const names = byDigest.get(m.digest) ?? new Set<string>();
      names.add(`${repository}:${tag}`);
      byDigest.set(m.digest, names);
    }
  }
  const images = [...byDigest.entries()].map(([digest, names]) => ({ digest, tags: [...names].sort() })).sort((a, b) => (a.digest < b.digest ? -1 : 1));
  return { repositories: dirs.length, tags, images, truncated: false };
}
