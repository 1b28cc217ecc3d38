// Test helper: lay a demo/images/*.json image out as a root filesystem (layers applied in order)
// so the real catalogers produce its SBOM through `dir:`.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { demoLayerFile } from "../../../demo/runtime/images/planted.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const DEMO_FEED = join(ROOT, "demo", "feed");
export const DEMO_IMAGES = join(ROOT, "demo", "images");

export interface DemoImage {
  ref: string;
  layers: { files: Record<string, string> }[];
}

export function demoImages(): Record<string, DemoImage> {
  return Object.fromEntries(
    readdirSync(DEMO_IMAGES)
      .filter((f) => f.endsWith(".json"))
      .map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(join(DEMO_IMAGES, f), "utf8")) as DemoImage]),
  );
}

/** Writes the image's files to a fresh temp dir; call the returned cleanup when done. */
export function materialize(image: DemoImage): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "vantage-demo-"));
  for (const layer of image.layers) {
    for (const [path, content] of Object.entries(layer.files)) {
      const file = join(dir, path);
      const f = demoLayerFile(path, content);
      if (f.type === "whiteout") {
        rmSync(file, { force: true });
        continue;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, f.content ?? "");
    }
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
