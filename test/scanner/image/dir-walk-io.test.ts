// dir: reads files with synchronous calls and one reused buffer: each parse must still see exactly
// its own file's bytes, scans must still get every byte they ask for, and a long walk must still
// let timers run.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cataloger, FileFacts } from "../../../shared/scanner/catalogers/types.js";
import { resolveLimits } from "../../../shared/scanner/image/limits.js";
import { walkDirectory } from "../../../shared/scanner/image/sources/dir.js";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "vantage-dirio-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Records each file's length and digest as it was handed to the parse. */
const fingerprint: Cataloger = {
  name: "fingerprint",
  matches: (path) => path.endsWith(".dat"),
  parse: (path, content) => ({ packages: [], warnings: [`${path} ${content.length} ${sha(content)}`] }),
};

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

describe("buffered files", () => {
  it("every parse sees exactly its own bytes, whatever the files read before it", async () => {
    const root = join(tmp, "sizes");
    await mkdir(root, { recursive: true });
    // Large, then smaller, then empty, then large again: a reused buffer must never leak a tail.
    const sizes = [3 * 1024 * 1024, 70_000, 5, 0, 1024 * 1024 + 3];
    const written = new Map<string, Buffer>();
    for (const [i, n] of sizes.entries()) {
      const content = bytes(n, i + 1);
      written.set(`f${i}.dat`, content);
      await writeFile(join(root, `f${i}.dat`), content);
    }
    const walked = await walkDirectory(root, [fingerprint], resolveLimits());
    const seen = walked.files.map((f) => f.facts.warnings?.[0]);
    expect(seen).toEqual([...written].map(([path, b]) => `${path} ${b.length} ${sha(b)}`));
  });

  it("facts kept from an earlier file are not changed by later reads", async () => {
    const root = join(tmp, "kept");
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "a.dat"), "first file text");
    await writeFile(join(root, "b.dat"), "SECOND");
    const text: Cataloger = { name: "text", matches: (p) => p.endsWith(".dat"), parse: (p, c) => ({ packages: [], warnings: [c.toString("utf8")] }) };
    const walked = await walkDirectory(root, [text], resolveLimits());
    expect(walked.files.map((f) => f.facts.warnings)).toEqual([["first file text"], ["SECOND"]]);
  });

  it("a symlink named like a wanted file is not followed", async () => {
    const root = join(tmp, "links");
    await mkdir(root, { recursive: true });
    await writeFile(join(tmp, "outside.dat"), "outside the root");
    await symlink(join(tmp, "outside.dat"), join(root, "link.dat"));
    const walked = await walkDirectory(root, [fingerprint], resolveLimits());
    expect(walked.files).toEqual([]);
  });
});

describe("streaming scans", () => {
  it("a scan gets the bytes it asks for at any offset, in reads that never pass the end", async () => {
    const root = join(tmp, "scan");
    await mkdir(root, { recursive: true });
    const size = 900_000;
    const content = bytes(size, 9);
    await writeFile(join(root, "tool"), content, { mode: 0o755 });
    // Head, a jump near the end, then one contiguous pass from the middle to the end.
    const plan = [0, size - 100, 300_000];
    const got: { at: number; length: number; ok: boolean }[] = [];
    let step = 0;
    let next = 0;
    const scanner: Cataloger = {
      name: "scanner",
      matches: (path) => path === "tool",
      parse: () => ({ packages: [] }),
      scan: () => ({
        want: () => (step < plan.length ? plan[step]! : next < size ? next : -1),
        write(chunk, at) {
          got.push({ at, length: chunk.length, ok: Buffer.from(chunk).equals(content.subarray(at, at + chunk.length)) });
          if (step < plan.length - 1) step++;
          else {
            step = plan.length;
            next = at + chunk.length;
          }
        },
        end: (): FileFacts => ({ packages: [] }),
      }),
    };
    await walkDirectory(root, [scanner], resolveLimits());
    expect(got.every((g) => g.ok && g.at + g.length <= size)).toBe(true);
    expect(got.slice(0, 2).map((g) => g.at)).toEqual([0, size - 100]);
    expect(got[1]!.length).toBe(100);
    // The contiguous pass covers the middle to the end without a gap.
    const pass = got.slice(2);
    expect(pass[0]!.at).toBe(300_000);
    for (let i = 1; i < pass.length; i++) expect(pass[i]!.at).toBe(pass[i - 1]!.at + pass[i - 1]!.length);
    expect(pass.at(-1)!.at + pass.at(-1)!.length).toBe(size);
  });
});

describe("liveness", () => {
  it("timers run while a long walk is in progress", async () => {
    const root = join(tmp, "busy");
    await mkdir(root, { recursive: true });
    for (let i = 0; i < 8; i++) await writeFile(join(root, `s${i}.dat`), "x");
    const events: string[] = [];
    // Each parse holds the thread for a while; without turns for the event loop no timer could fire.
    const slow: Cataloger = {
      name: "slow",
      matches: (p) => p.endsWith(".dat"),
      parse: (p) => {
        const until = Date.now() + 15;
        while (Date.now() < until) {
          /* busy */
        }
        // Armed from inside the walk, so the walk's own setup awaits cannot be what lets it fire.
        if (!events.length) setTimeout(() => events.push("timer"), 0);
        events.push(p);
        return { packages: [] };
      },
    };
    await walkDirectory(root, [slow], resolveLimits());
    expect(events.indexOf("timer")).toBeGreaterThan(0);
    expect(events.at(-1)).not.toBe("timer");
  });
});
