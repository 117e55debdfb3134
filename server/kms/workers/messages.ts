/**
 * The messages between the protocol thread and a pipeline worker (server/kms/workers/pool.ts ↔ worker.ts). Everything
 * here is structured-cloneable: ids, KMD names and values already marshalled for the wire.
 */
import type { KmsConfig } from '../config';
import type { KmsErrorType } from '../errors';
import type { LogLevel } from '../logger';

/** What a worker is started with (workerData): the configuration without its functions, and where HTTP URLs point. */
export interface WorkerSetup {
  index: number;
  config: Omit<KmsConfig, 'turnUrlProvider'>;
  /** Scheme, host and port HttpEndpoint URLs announce (the KMS port, or the site's origin in workshop mode). */
  httpBase: string;
}

export type WorkerCall =
  | { call: number; op: 'create'; type: string; params: unknown; /** the TURN URL of the moment (time-limited credentials) */ turnUrl: string | undefined }
  /** `foreign`: objects the params name that live on other workers (so in other pipelines). */
  | { call: number; op: 'invoke'; id: string; operation: string; params: unknown; foreign: Array<{ id: string; type: string }> }
  | { call: number; op: 'release'; id: string }
  | { call: number; op: 'releaseAll' };

export interface WorkerError {
  /** A KMS error type, or undefined for an unexpected error (answered as INTERNAL_ERROR). */
  type: KmsErrorType | undefined;
  message: string;
}

export type WorkerReport =
  | { kind: 'ready'; httpPort: number }
  | { kind: 'reply'; call: number; value: unknown }
  | { kind: 'reply'; call: number; error: WorkerError }
  | { kind: 'created'; id: string; type: string; pipeline: boolean }
  | { kind: 'destroyed'; id: string }
  /** `call`: the create call that was running when the event was raised. */
  | { kind: 'event'; source: string; event: string; data: Record<string, unknown>; call: number | undefined }
  | { kind: 'route'; path: string; add: boolean }
  | { kind: 'log'; level: Exclude<LogLevel, 'silent'>; message: string };
