// Durable Task history events in the shape the durable-functions replay engine reads (PascalCase,
// numeric EventType, Date timestamps), plus JSON (de)serialization for Table storage.

export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
} as const;

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: Date;
  [field: string]: unknown;
}

function event(type: number, eventId: number, at: Date, fields: Record<string, unknown> = {}): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: at, IsProcessed: false, ...fields };
}

export const events = {
  orchestratorStarted: (at: Date) => event(EventType.OrchestratorStarted, -1, at),
  orchestratorCompleted: (at: Date) => event(EventType.OrchestratorCompleted, -1, at),
  executionStarted: (at: Date, name: string, input: unknown) =>
    event(EventType.ExecutionStarted, -1, at, { Name: name, Input: JSON.stringify(input ?? null) }),
  taskScheduled: (at: Date, id: number, name: string, input: unknown) =>
    event(EventType.TaskScheduled, id, at, { Name: name, Input: JSON.stringify(input ?? null) }),
  taskCompleted: (at: Date, id: number, result: unknown) =>
    event(EventType.TaskCompleted, -1, at, { TaskScheduledId: id, Result: JSON.stringify(result ?? null) }),
  taskFailed: (at: Date, id: number, error: Error) =>
    event(EventType.TaskFailed, -1, at, { TaskScheduledId: id, FailureDetails: failureDetails(error) }),
  timerCreated: (at: Date, id: number, fireAt: Date) => event(EventType.TimerCreated, id, at, { FireAt: fireAt }),
  timerFired: (at: Date, id: number, fireAt: Date) => event(EventType.TimerFired, -1, at, { TimerId: id, FireAt: fireAt }),
  subOrchestrationCreated: (at: Date, id: number, name: string, instanceId: string, input: unknown) =>
    event(EventType.SubOrchestrationInstanceCreated, id, at, { Name: name, InstanceId: instanceId, Input: JSON.stringify(input ?? null) }),
  subOrchestrationCompleted: (at: Date, id: number, result: unknown) =>
    event(EventType.SubOrchestrationInstanceCompleted, -1, at, { TaskScheduledId: id, Result: JSON.stringify(result ?? null) }),
  subOrchestrationFailed: (at: Date, id: number, error: Error) =>
    event(EventType.SubOrchestrationInstanceFailed, -1, at, { TaskScheduledId: id, FailureDetails: failureDetails(error) }),
};

function failureDetails(error: Error) {
  return { ErrorType: error.name || "Error", ErrorMessage: error.message, StackTrace: error.stack };
}

const DATE_FIELDS = ["Timestamp", "FireAt"] as const;

export function serializeEvent(e: HistoryEvent): string {
  return JSON.stringify(e);
}

export function deserializeEvent(text: string): HistoryEvent {
  const raw = JSON.parse(text) as Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof raw[f] === "string") raw[f] = new Date(raw[f] as string);
  return raw as HistoryEvent;
}

/** Ids the history has already scheduled (TaskScheduled, TimerCreated, SubOrchestrationInstanceCreated). */
export function scheduledIds(history: HistoryEvent[]): Set<number> {
  const ids = new Set<number>();
  for (const e of history) {
    if (e.EventType === EventType.TaskScheduled || e.EventType === EventType.TimerCreated || e.EventType === EventType.SubOrchestrationInstanceCreated) {
      ids.add(e.EventId);
    }
  }
  return ids;
}

/** Ids whose outcome is already recorded. */
export function completedIds(history: HistoryEvent[]): Set<number> {
  const ids = new Set<number>();
  for (const e of history) {
    if (typeof e.TaskScheduledId === "number") ids.add(e.TaskScheduledId);
    if (typeof e.TimerId === "number") ids.add(e.TimerId);
  }
  return ids;
}
