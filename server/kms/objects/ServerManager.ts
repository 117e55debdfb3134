import os from 'node:os';
import { KmsError } from '../errors';
import { KMD_MODULES, type KmdModuleName } from './kmd';
import { MediaObject, type ObjectContext, type PropertyAccess } from './MediaObject';
import type { ServerManagerEvents } from './kmd-types.generated';

export const SERVER_MANAGER_ID = 'manager_ServerManager';
export const KMS_VERSION = '7.3.0';

/** What the ServerManager needs to know about the running server. */
export interface ServerState {
  /** Factory names this server really implements, per KMD module. */
  factories(): Record<KmdModuleName, string[]>;
  /** The pipelines of the whole server (on every worker), as objects with an id: marshalled as their ids. */
  pipelines(): ReadonlyArray<{ readonly id: string }>;
  sessions(): string[];
}

/** The singleton `manager_ServerManager`: server info, KMD texts, resource use, ObjectCreated / ObjectDestroyed. */
export class ServerManager extends MediaObject<ServerManagerEvents> {
  private readonly generationTime = new Date().toUTCString();

  constructor(context: ObjectContext, private readonly state: ServerState) {
    super(context, 'ServerManager', undefined, SERVER_MANAGER_ID);
  }

  get pipeline(): undefined {
    return undefined;
  }

  protected override properties(): Record<string, PropertyAccess> {
    return {
      ...super.properties(),
      info: { get: () => this.info() },
      pipelines: { get: () => this.state.pipelines() },
      sessions: { get: () => this.state.sessions() },
      metadata: { get: () => '' },
    };
  }

  private info(): Record<string, unknown> {
    const factories = this.state.factories();
    return {
      version: KMS_VERSION,
      type: 'KMS',
      capabilities: ['transactions'],
      modules: KMD_MODULES.map((name) => ({
        __type__: 'ModuleInfo',
        name,
        version: this.context.kmd.versions.get(name) ?? KMS_VERSION,
        generationTime: this.generationTime,
        factories: factories[name],
      })),
    };
  }

  getKmd({ moduleName }: { moduleName: string }): string {
    const text = this.context.kmd.texts.get(moduleName as KmdModuleName);
    if (text === undefined) throw new KmsError('UNDEFINED', `Module '${moduleName}' not found`);
    return text;
  }

  getCpuCount(): number {
    return os.cpus().length;
  }

  /** Average CPU use of the whole machine over `interval` ms, in percent, as KMS measures it. */
  async getUsedCpu({ interval }: { interval: number }): Promise<number> {
    const sample = (): { idle: number; total: number } =>
      os.cpus().reduce(
        (sum, cpu) => {
          const total = Object.values(cpu.times).reduce((a, b) => a + b, 0);
          return { idle: sum.idle + cpu.times.idle, total: sum.total + total };
        },
        { idle: 0, total: 0 },
      );
    const before = sample();
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(interval, 0), 10000)));
    const after = sample();
    const total = after.total - before.total;
    return total > 0 ? Math.round((1 - (after.idle - before.idle) / total) * 10000) / 100 : 0;
  }

  /** Resident memory of this server process, in KiB (KMS reports its own process). */
  getUsedMemory(): number {
    return Math.round(process.memoryUsage().rss / 1024);
  }

  /** Called by the registry for every object created or destroyed. */
  notifyCreated(object: MediaObject): void {
    this.raise('ObjectCreated', { object: object.id });
  }

  notifyDestroyed(objectId: string): void {
    this.raise('ObjectDestroyed', { objectId });
  }
}
