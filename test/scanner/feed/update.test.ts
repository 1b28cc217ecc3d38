import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectoryFeedStore, feedSourcesFromEnv, MemoryFeedStore, updateFeed } from "../../../shared/scanner/feed/index.js";
import { osv, range } from "../match/helpers.js";
import { makeZip } from "./zip-writer.js";

// A loopback "internet": OSV all.zip, a JSON listing, CISA KEV and a gzip'd EPSS file.
const files = new Map<string, { body: Buffer; status?: number }>();
let server: Server;
let base: string;
const tmp = mkdtempSync(join(tmpdir(), "vantage-update-"));

beforeAll(async () => {
  server = createServer((req, res) => {
    const f = files.get(req.url ?? "");
    res.writeHead(f?.status ?? (f ? 200 : 404));
    res.end(f?.body ?? "not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

const rec = (id: string, name: string) => osv(id, "npm", name, [range("SEMVER", { introduced: "0" }, { fixed: "1.0.0" })], { aliases: [`CVE-2024-${id.length}${name.length}`] });

function publish(records: unknown[]) {
  files.set("/npm/all.zip", { body: makeZip(Object.fromEntries(records.map((r) => [`${(r as { id: string }).id}.json`, JSON.stringify(r)]))) });
  files.set("/debian.json", { body: Buffer.from(JSON.stringify([osv("DEBIAN-CVE-2024-1", "Debian:12", "zlib", [range("ECOSYSTEM", { introduced: "0" })])])) });
  files.set("/kev.json", { body: Buffer.from(JSON.stringify({ vulnerabilities: [{ cveID: "CVE-2024-1", dateAdded: "2024-01-01", knownRansomwareCampaignUse: "Unknown" }] })) });
  files.set("/epss.csv.gz", { body: gzipSync("#model_version:v1,score_date:2024-01-01\ncve,epss,percentile\nCVE-2024-1,0.25,0.8\n") });
}

const sources = () => ({ osv: [`${base}/npm/all.zip`, `${base}/debian.json`], kev: `${base}/kev.json`, epss: `${base}/epss.csv.gz` });

describe("updateFeed", () => {
  it("downloads, builds and publishes; an identical feed is 'unchanged'", async () => {
    publish([rec("GHSA-aaaa", "a"), rec("GHSA-bbbb", "b")]);
    const store = new MemoryFeedStore();
    const first = await updateFeed(sources(), store);
    expect(first.status).toBe("updated");
    const current = (await store.get())!;
    expect(current.version).toMatchObject({ advisories: 3, kev: 1, epss: 1 });
    expect(Object.keys(current.packages).sort()).toEqual(["debian:12", "npm"]);
    expect((await updateFeed(sources(), store)).status).toBe("unchanged");
  });

  it("keeps the previous index on HTTP errors, corrupt archives and suspicious shrinkage", async () => {
    publish([rec("GHSA-aaaa", "a"), rec("GHSA-bbbb", "b"), rec("GHSA-cccc", "c"), rec("GHSA-dddd", "d")]);
    const store = new DirectoryFeedStore(join(tmp, "store"));
    expect((await updateFeed(sources(), store)).status).toBe("updated");
    const before = (await store.get())!.version.hash;

    files.set("/kev.json", { body: Buffer.from("gateway timeout"), status: 504 });
    const httpFail = await updateFeed(sources(), store);
    expect(httpFail).toMatchObject({ status: "failed", error: expect.stringContaining("HTTP 504") });
    expect((await store.get())!.version.hash).toBe(before);

    publish([rec("GHSA-aaaa", "a")]);
    files.set("/npm/all.zip", { body: Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]) });
    expect((await updateFeed(sources(), store)).status).toBe("failed");
    expect((await store.get())!.version.hash).toBe(before);

    publish([]); // the npm archive suddenly empty: 1 advisory instead of 5
    const shrink = await updateFeed(sources(), store);
    expect(shrink).toMatchObject({ status: "failed", error: expect.stringContaining("fewer") });
    expect((await store.get())!.version.hash).toBe(before);
  });

  it("enforces the download size limit", async () => {
    publish([rec("GHSA-aaaa", "a")]);
    const result = await updateFeed(sources(), new MemoryFeedStore(), { maxBytes: 64 });
    expect(result).toMatchObject({ status: "failed", error: expect.stringContaining("limit") });
  });

  it("takes source URLs from the environment", () => {
    expect(feedSourcesFromEnv({ VANTAGE_FEED_OSV_URLS: "http://x/a.zip, http://x/b.zip", VANTAGE_FEED_KEV_URL: "", VANTAGE_FEED_EPSS_URL: "http://x/e.csv" })).toEqual({
      osv: ["http://x/a.zip", "http://x/b.zip"],
      epss: "http://x/e.csv",
    });
    expect(feedSourcesFromEnv({}).osv).toContain("https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip");
  });
});
