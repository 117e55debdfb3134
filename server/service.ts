/** What `npm start` runs: each part of Kurento Labs is a service with the same small life cycle. */

export interface ServiceHealth {
  ok: boolean;
  /** One line for people: what runs where, or what is wrong and how to fix it. */
  detail: string;
}

export interface ServiceUrl {
  label: string;
  url: string;
}

export interface Service {
  readonly name: string;
  /** Resolves once the service accepts work; rejects with an error that says what to fix. */
  start(): Promise<void>;
  /** Idempotent; frees every port, socket, timer and child process the service owns. */
  stop(): Promise<void>;
  health(): Promise<ServiceHealth>;
  /** Addresses worth printing after start. */
  urls(): ServiceUrl[];
}

/** Starts services in order; if one fails, the ones already started are stopped again. */
export async function startAll(services: readonly Service[]): Promise<void> {
  const started: Service[] = [];
  try {
    for (const service of services) {
      await service.start();
      started.push(service);
    }
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/** Stops services in reverse order; a failing stop is reported and does not prevent the others. */
export async function stopAll(services: readonly Service[]): Promise<void> {
  for (const service of [...services].reverse()) {
    try {
      await service.stop();
    } catch (error) {
      console.error(`[${service.name}] stop failed:`, error);
    }
  }
}
