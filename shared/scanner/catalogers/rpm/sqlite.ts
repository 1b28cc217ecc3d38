// rpmdb.sqlite (rpm >= 4.16: Fedora, RHEL 9, Azure Linux): table Packages(hnum, blob) holds the
// header blobs. sql.js runs SQLite in WASM from an in-memory copy; its wasm is loaded from
// node_modules (never the network) and initialized once per process.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import initSqlJs from "sql.js";

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;
let sqlJs: Promise<SqlJs> | undefined;

function loadSqlJs(): Promise<SqlJs> {
  if (!sqlJs) {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve("sql.js/dist/sql-wasm.wasm"));
    sqlJs = initSqlJs({ locateFile: (f: string) => `${dist}/${f}` });
    sqlJs.catch(() => (sqlJs = undefined));
  }
  return sqlJs;
}

export function isSqlite(buf: Buffer): boolean {
  return buf.length >= 100 && buf.toString("latin1", 0, 16) === "SQLite format 3\0";
}

export async function readSqliteBlobs(buf: Buffer, maxBlobs: number): Promise<{ blobs: Buffer[]; warnings: string[] }> {
  if (!isSqlite(buf)) return { blobs: [], warnings: ["not an SQLite database"] };
  const SQL = await loadSqlJs();
  const db = new SQL.Database(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  try {
    const blobs: Buffer[] = [];
    const stmt = db.prepare(`SELECT blob FROM Packages LIMIT ${maxBlobs}`);
    try {
      while (stmt.step()) {
        const v = stmt.get()[0];
        if (v instanceof Uint8Array) blobs.push(Buffer.from(v));
      }
    } finally {
      stmt.free();
    }
    return { blobs, warnings: [] };
  } finally {
    db.close();
  }
}
