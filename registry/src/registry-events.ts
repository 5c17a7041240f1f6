import type { InstanceSource, InstanceStatus } from "./snapshot.js";

/** What each event type carries in `data`. */
export interface RegistryEventData {
  instance_up: { source: InstanceSource; previous_status: InstanceStatus; latency_ms: number | null };
  instance_down: {
    source: InstanceSource;
    previous_status: InstanceStatus;
    error: string;
    consecutive_failures: number;
    /** A failed health probe, or a failed request that pushed the instance over the threshold. */
    cause: "health_check" | "request";
  };
  instance_registered: { source: "registered"; expires_at: string };
  instance_removed: { source: "registered"; reason: "deregistered" | "expired"; last_status: InstanceStatus };
  /** The event's `url` is the instance the new document was read from. */
  capabilities_changed: {
    hash: string;
    previous_hash: string | null;
    operations: string[];
    added: string[];
    removed: string[];
  };
}

export type RegistryEventType = keyof RegistryEventData;

/** Every event type, in a stable order (for validation and documentation). */
export const registryEventTypes: readonly RegistryEventType[] = [
  "instance_up",
  "instance_down",
  "instance_registered",
  "instance_removed",
  "capabilities_changed",
];

/** One registry event; `id` increases by one per event, so clients can resume after an id. */
export type RegistryEvent = {
  [K in RegistryEventType]: {
    id: number;
    type: K;
    service_name: string;
    url: string | null;
    timestamp: string;
    data: RegistryEventData[K];
  };
}[RegistryEventType];

export type RegistryEventOf<K extends RegistryEventType> = Extract<RegistryEvent, { type: K }>;
export type RegistryEventListener<K extends RegistryEventType = RegistryEventType> = (event: RegistryEventOf<K>) => void;

/**
 * Typed listeners per event type plus a bounded list of recent events. A listener that
 * throws is reported and skipped: one bad subscriber must not break health checking.
 */
export class RegistryEventLog {
  private nextId = 1;
  private readonly recentEvents: RegistryEvent[] = [];
  private readonly listeners = new Map<RegistryEventType | "*", Set<(event: RegistryEvent) => void>>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  on<K extends RegistryEventType>(type: K, listener: RegistryEventListener<K>): () => void {
    return this.add(type, listener as (event: RegistryEvent) => void);
  }

  off<K extends RegistryEventType>(type: K, listener: RegistryEventListener<K>): void {
    this.listeners.get(type)?.delete(listener as (event: RegistryEvent) => void);
  }

  subscribe(listener: (event: RegistryEvent) => void): () => void {
    return this.add("*", listener);
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  emit<K extends RegistryEventType>(type: K, serviceName: string, url: string | null, data: RegistryEventData[K]): RegistryEvent {
    const event = { id: this.nextId++, type, service_name: serviceName, url, timestamp: new Date(this.now()).toISOString(), data } as RegistryEvent;
    this.recentEvents.push(event);
    if (this.recentEvents.length > this.limit) this.recentEvents.splice(0, this.recentEvents.length - this.limit);
    // Copies, so a listener that unsubscribes while being called does not skip another.
    for (const listener of [...(this.listeners.get(type) ?? []), ...(this.listeners.get("*") ?? [])]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return event;
  }

  /** Recent events, oldest first; with `afterId`, only those newer than it. */
  recent(afterId?: number): RegistryEvent[] {
    return afterId === undefined ? [...this.recentEvents] : this.recentEvents.filter((event) => event.id > afterId);
  }

  private add(key: RegistryEventType | "*", listener: (event: RegistryEvent) => void): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }
}
