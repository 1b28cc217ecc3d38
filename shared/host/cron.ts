// NCRONTAB, the six-field format Azure Functions timers use: second minute hour day month weekday.
// Supports *, lists, ranges and steps; times are UTC as on the Functions host (WEBSITE_TIME_ZONE unset).
import { InputError } from "../errors.js";

interface Field { values: Set<number>; }

const RANGES: [number, number][] = [[0, 59], [0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];
const NAMES = ["second", "minute", "hour", "day", "month", "weekday"];

function parseField(text: string, index: number): Field {
  const [min, max] = RANGES[index];
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part.trim());
    if (!m) throw new InputError(`cron ${NAMES[index]} field "${text}" is not valid`);
    let lo = min;
    let hi = max;
    if (m[1] !== "*") {
      const [a, b] = m[1].split("-").map(Number);
      lo = a;
      hi = b ?? (m[2] ? max : a);
    }
    const step = m[2] ? Number(m[2]) : 1;
    if (lo < min || hi > max || lo > hi || step < 1) throw new InputError(`cron ${NAMES[index]} field "${text}" is out of range ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) values.add(index === 5 && v === 7 ? 0 : v);
  }
  return { values };
}

export interface CronSchedule { next(after: Date): Date; }

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) throw new InputError(`cron "${expression}" must have six fields (second minute hour day month weekday)`);
  const [sec, min, hour, day, month, weekday] = parts.map(parseField);
  return {
    next(after: Date): Date {
      const t = new Date(after.getTime());
      t.setUTCMilliseconds(0);
      t.setUTCSeconds(t.getUTCSeconds() + 1);
      // Bounded search: at most ~5 years of minutes is far more than any valid expression needs.
      for (let guard = 0; guard < 3_000_000; guard++) {
        if (!month.values.has(t.getUTCMonth() + 1)) { t.setUTCMonth(t.getUTCMonth() + 1, 1); t.setUTCHours(0, 0, 0); continue; }
        if (!day.values.has(t.getUTCDate()) || !weekday.values.has(t.getUTCDay())) { t.setUTCDate(t.getUTCDate() + 1); t.setUTCHours(0, 0, 0); continue; }
        if (!hour.values.has(t.getUTCHours())) { t.setUTCHours(t.getUTCHours() + 1, 0, 0); continue; }
        if (!min.values.has(t.getUTCMinutes())) { t.setUTCMinutes(t.getUTCMinutes() + 1, 0); continue; }
        if (!sec.values.has(t.getUTCSeconds())) { t.setUTCSeconds(t.getUTCSeconds() + 1); continue; }
        return t;
      }
      throw new InputError(`cron "${expression}" never fires`);
    },
  };
}
