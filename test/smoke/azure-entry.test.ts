// The Azure entry registers every catalog function with @azure/functions / durable-functions.
// Outside the Functions host that registration is skipped with a warning — never an error.
import { describe, expect, it, vi } from "vitest";
import { createCatalog } from "../../functions/catalog.js";
import { dependenciesFromEnv } from "../../shared/workflows/dependencies.js";

describe("Azure entry point", () => {
  it("imports without the Functions host and covers every trigger type of the catalog", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await expect(import("../../functions/index.js")).resolves.toBeDefined();
    } finally {
      warn.mockRestore();
    }
    // Building the catalog touches no dependency: without app settings it still lists every function.
    const catalog = createCatalog(dependenciesFromEnv({}));
    const types = new Set(catalog.map((f) => f.trigger.type));
    expect([...types].sort()).toEqual(["activity", "eventGrid", "http", "orchestration", "timer"]);
    // Function names are unique and valid Azure function names.
    const names = catalog.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,127}$/);
  });
});
