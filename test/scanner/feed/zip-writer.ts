// OSV-style archives for feed tests, built with the shared fixture zip writer.
import { makeZip as writeZip } from "../../support/zip-writer.js";

export function makeZip(files: Record<string, string | Buffer>, deflate = true): Buffer {
  return writeZip(Object.entries(files).map(([name, data]) => ({ name, data, deflate })));
}
