// Event Grid deliveries (Event Grid schema and CloudEvents 1.0) turned into typed events, with the
// subscription-validation handshake. Malformed input is an InputError (HTTP 400), never a crash.
import { EventGridDeserializer } from "@azure/eventgrid";
import { InputError } from "../errors.js";

export interface EventGridEvent {
  id: string;
  topic: string;
  subject: string;
  eventType: string;
  eventTime: string;
  data: any;
  dataVersion: string;
  metadataVersion: string;
}

export const VALIDATION_EVENT = "Microsoft.EventGrid.SubscriptionValidationEvent";
export const MAX_EVENT_BODY_BYTES = 1024 * 1024;

export type Delivery =
  | { kind: "validation"; validationCode: string; validationUrl?: string }
  | { kind: "events"; events: EventGridEvent[] };

const deserializer = new EventGridDeserializer();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses one webhook body. Accepts an array (Event Grid batches) or a single event. */
export async function parseDelivery(body: string): Promise<Delivery> {
  if (Buffer.byteLength(body) > MAX_EVENT_BODY_BYTES) throw new InputError("event body is larger than 1 MB", "PayloadTooLarge", 413);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new InputError(`event body is not JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) throw new InputError("event body is an empty array");
  if (!list.every(isObject)) throw new InputError("every event must be a JSON object");
  const first = list[0] as Record<string, unknown>;
  if (first.eventType === VALIDATION_EVENT) {
    const code = isObject(first.data) ? first.data.validationCode : undefined;
    if (typeof code !== "string" || !code) throw new InputError("validation event without data.validationCode");
    const url = isObject(first.data) && typeof first.data.validationUrl === "string" ? first.data.validationUrl : undefined;
    return { kind: "validation", validationCode: code, validationUrl: url };
  }
  const events: EventGridEvent[] = [];
  for (const [i, raw] of (list as Record<string, unknown>[]).entries()) {
    // Ids key the de-duplication table (Table keys are at most 1 KiB).
    if (typeof raw.id === "string" && raw.id.length > 256) throw new InputError(`event[${i}]: id is longer than 256 characters`);
    if (raw.specversion !== undefined) events.push(fromCloudEvent(raw, i));
    else events.push(await fromEventGridSchema(raw, i));
  }
  return { kind: "events", events };
}

async function fromEventGridSchema(raw: Record<string, unknown>, index: number): Promise<EventGridEvent> {
  for (const field of ["id", "subject", "eventType", "eventTime", "dataVersion"] as const) {
    if (typeof raw[field] !== "string" || !(raw[field] as string)) throw new InputError(`event[${index}]: missing or invalid "${field}"`);
  }
  if (!("data" in raw)) throw new InputError(`event[${index}]: missing "data"`);
  // The SDK deserializer needs topic and metadataVersion, which some publishers omit.
  const normalized = { topic: "", metadataVersion: "1", ...raw };
  try {
    const [event] = await deserializer.deserializeEventGridEvents(JSON.stringify([normalized]));
    return {
      id: event.id,
      topic: event.topic ?? "",
      subject: event.subject,
      eventType: event.eventType,
      eventTime: event.eventTime.toISOString(),
      data: event.data,
      dataVersion: event.dataVersion,
      metadataVersion: String((normalized as Record<string, unknown>).metadataVersion ?? "1"),
    };
  } catch (err) {
    throw new InputError(`event[${index}]: ${(err as Error).message}`);
  }
}

function fromCloudEvent(raw: Record<string, unknown>, index: number): EventGridEvent {
  if (raw.specversion !== "1.0") throw new InputError(`event[${index}]: unsupported CloudEvents specversion ${JSON.stringify(raw.specversion)}`);
  for (const field of ["id", "source", "type"] as const) {
    if (typeof raw[field] !== "string" || !(raw[field] as string)) throw new InputError(`event[${index}]: missing or invalid "${field}"`);
  }
  return {
    id: raw.id as string,
    topic: raw.source as string,
    subject: typeof raw.subject === "string" ? raw.subject : "",
    eventType: raw.type as string,
    eventTime: typeof raw.time === "string" ? raw.time : new Date(0).toISOString(),
    data: raw.data,
    dataVersion: typeof raw.dataschema === "string" ? raw.dataschema : "",
    metadataVersion: "1",
  };
}
