// One malformed advisory file in a feed directory or an OSV all.zip: the rest loads, and a warning
// names the file (and the archive and its ecosystem) in the index, the update result,
// `vantage feed update` and the feed timer's log.
import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timerFunctions } from "../../../functions/timers.js";
import { main } from "../../../shared/cli/main.js";
import { loadFeedDir, MemoryFeedStore, updateFeed } from "../../../shared/scanner/feed/index.js";
import { describeSource, MAX_FEED_WARNINGS } from "../../../shared/scanner/feed/record-files.js";
import { startAzurite } from "../../../shared/host/azurite.js";
import { storageFromEnv } from "../../../shared/storage/connection.js";
import { createDependencies } from "../../../shared/workflows/dependencies.js";
import { uniqueName } from "../../support/storage.js";
import { osv, range } from "../match/helpers.js";
import { makeZip } from "./zip-writer.js";

const files = new Map<string, Buffer>();
let server: Server;
let base: string;
const tmp = mkdtempSync(join(tmpdir(), "vantage-malformed-"));

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = files.get(req.url ?? "");
    res.writeHead(body ? 200 : 404);
    res.end(body ?? "not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

const npm = (id: string, name: string) => osv(id, "npm", name, [range("SEMVER", { introduced: "0" }, { fixed: "1.0.0" })]);
const debian = (id: string, name: string) => osv(id, "Debian:12", name, [range("ECOSYSTEM", { introduced: "0" }, { fixed: "1.0-1" })]);

/** Two ecosystems' archives; Debian's holds one entry that is not JSON and one that is JSON but no record. */
function publish(): string[] {
  files.set("/npm/all.zip", makeZip({ "GHSA-1.json": JSON.stringify(npm("GHSA-1", "left-pad")), "GHSA-2.json": JSON.stringify(npm("GHSA-2", "lodash")) }));
  files.set(
    "/Debian%3A12/all.zip",
    makeZip({ "DEBIAN-CVE-1.json": JSON.stringify(debian("DEBIAN-CVE-1", "zlib")), "DEBIAN-CVE-2.json": '{"id": "DEBIAN-CVE-2", "modified": ', "notes.json": '"just a string"' }),
  );
  return [`${base}/npm/all.zip`, `${base}/Debian%3A12/all.zip`];
}

describe("malformed advisory files are skipped by name", () => {
  it("feed directory: the rest loads, the warning names the file", async () => {
    const dir = join(tmp, "feed");
    mkdirSync(join(dir, "npm"), { recursive: true });
    writeFileSync(join(dir, "npm", "GHSA-1.json"), JSON.stringify(npm("GHSA-1", "left-pad")));
    writeFileSync(join(dir, "npm", "GHSA-2.json"), "{ truncated");
    writeFileSync(join(dir, "npm", "GHSA-3.json"), JSON.stringify(npm("GHSA-3", "lodash")));
    const index = await loadFeedDir(dir);
    expect(Object.keys(index.vulns).sort()).toEqual(["GHSA-1", "GHSA-3"]);
    expect(index.stats.skipped["malformed-file"]).toBe(1);
    expect(index.warnings).toHaveLength(1);
    expect(index.warnings![0]).toMatch(new RegExp(`^${join(dir, "npm", "GHSA-2.json").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: not valid JSON \\(.+\\); skipped$`));

    // `vantage feed update --from DIR` stores the index and prints the warning once on stderr.
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["feed", "update", "--from", dir], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd: tmp });
    expect(code).toBe(0);
    expect(out.join("")).toMatch(/2 advisories .*skipped: malformed-file 1/);
    expect(err.join("").trim().split("\n")).toEqual([`vantage feed: warning: ${index.warnings![0]}`]);
  });

  it("all.zip: the rest of the archive and the other archives load; each warning names the entry, the archive and its ecosystem", async () => {
    const result = await updateFeed({ osv: publish() }, new MemoryFeedStore());
    expect(result.status).toBe("updated");
    if (result.status !== "updated") return;
    expect(Object.keys(result.index.vulns).sort()).toEqual(["DEBIAN-CVE-1", "GHSA-1", "GHSA-2"]);
    expect(result.index.stats.skipped["malformed-file"]).toBe(2);
    const archive = `Debian:12 all.zip (${base}/Debian%3A12/all.zip)`;
    expect(result.warnings).toEqual([
      expect.stringMatching(new RegExp(`^${archive.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: DEBIAN-CVE-2\\.json: not valid JSON \\(.+\\); skipped$`)),
      `${archive}: notes.json: neither an OSV record nor an array of records; skipped`,
    ]);
    expect(result.index.warnings).toEqual(result.warnings);
    // Same advisories again: unchanged, and this run's warnings are still reported.
    const store = new MemoryFeedStore(result.index);
    const again = await updateFeed({ osv: publish() }, store);
    expect(again).toMatchObject({ status: "unchanged", warnings: result.warnings });
  });

  it("a hostile archive of broken entries gives a bounded list of warnings", async () => {
    const broken = Object.fromEntries(Array.from({ length: MAX_FEED_WARNINGS + 30 }, (_, i) => [`X-${i}.json`, "nope"]));
    files.set("/PyPI/all.zip", makeZip({ ...broken, "PYSEC-1.json": JSON.stringify(osv("PYSEC-1", "PyPI", "requests", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "2.0" })])) }));
    const result = await updateFeed({ osv: [`${base}/PyPI/all.zip`] }, new MemoryFeedStore());
    expect(result.status).toBe("updated");
    expect(result.warnings).toHaveLength(MAX_FEED_WARNINGS + 1);
    expect(result.warnings.at(-1)).toBe("… and 30 more warnings");
    expect(result.status === "updated" && result.index.stats.skipped["malformed-file"]).toBe(MAX_FEED_WARNINGS + 30);
  });

  it("names sources by OSV's layout, else by URL", () => {
    expect(describeSource("https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip")).toBe("Red Hat all.zip (https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip)");
    expect(describeSource("https://mirror.example/osv/npm.json")).toBe("https://mirror.example/osv/npm.json");
  });

  it("the feed timer logs the update and each warning", async () => {
    // Its own Azurite: the feed pointer is one per storage account, and other tests store feeds too.
    const azurite = await startAzurite();
    try {
      const storage = storageFromEnv({ AzureWebJobsStorage: azurite.connectionString });
      const deps = createDependencies({ storage, config: { tablePrefix: uniqueName("f"), feedSources: { osv: publish() } }, env: {} });
      const timer = timerFunctions(deps).find((t) => t.name === "feedUpdateTimer")!;
      const log: string[] = [];
      await timer.handler({ client: {} as never, log: (m) => log.push(m) });
      expect(log[0]).toBe("feed update: updated");
      expect(log.slice(1)).toEqual([expect.stringMatching(/^feed update: warning: Debian:12 all\.zip \(.+\): DEBIAN-CVE-2\.json: not valid JSON/), expect.stringMatching(/^feed update: warning: Debian:12 all\.zip \(.+\): notes\.json: neither/)]);
    } finally {
      await azurite.stop();
    }
  }, 60_000);
});
