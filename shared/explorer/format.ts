// Result renderings: CSV (RFC 4180) for export and an aligned text table for the terminal.
import type { QueryResult } from "./model.js";

/** One cell as text: null → empty, arrays joined with "; ", objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(cellText).join("; ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Spreadsheets run a cell starting with = + - @ (or a tab or carriage return) as a formula, and
 * graph values (names, labels, annotations) are attacker-chosen: such cells get a leading
 * apostrophe. Numbers are left alone (-5 is a number, not a formula).
 */
export function neutralizeCell(value: unknown): string {
  const text = cellText(value);
  return typeof value !== "number" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: CRLF line ends, fields with comma, quote or line break quoted, quotes doubled; formula-like cells neutralised. */
export function toCsv(result: Pick<QueryResult, "columns" | "rows">): string {
  const lines = [result.columns.map(neutralizeCell), ...result.rows.map((row) => row.map(neutralizeCell))].map((cells) => cells.map(csvField).join(","));
  return lines.map((l) => `${l}\r\n`).join("");
}

/** A plain aligned table with a row count footer; line breaks inside cells are shown as ⏎. */
export function toTable(result: QueryResult): string {
  const cells = result.rows.map((row) => row.map((v) => cellText(v).replace(/\r?\n/g, "⏎")));
  const widths = result.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  const out = [line(result.columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
  const n = result.rows.length;
  out.push(`(${n} row${n === 1 ? "" : "s"}${result.truncated ? ", truncated" : ""})`);
  return `${out.join("\n")}\n`;
}
