/**
 * Connection check: is there a KMS at the configured URL, what is it, and do its events reach us? The first lab of the
 * installation chapter, and what a trainer runs first against the workshop's KMS. The code of each step is
 * labs/programs/connection-check.js.
 */
import type { LabDefinition } from './framework/types';

interface ServerInfoLike {
  version?: unknown;
  modules?: Array<{ name?: unknown; factories?: unknown[] }>;
}

export const connectionCheck: LabDefinition = {
  id: 'connection-check',
  title: { en: 'Connection check: is KMS there?', 'zh-Hans': '连接检查：KMS 在吗？' },
  summary: {
    en: 'Connects kurento-client to the configured KMS, reads its version, modules and factories, lists its pipelines, and proves that its events reach the browser.',
    'zh-Hans': '用 kurento-client 连接已配置的 KMS，读取它的版本、模块和工厂，列出它的管道，并验证它的事件能够到达浏览器。',
  },
  elements: ['ServerManager', 'MediaPipeline'],
  program: () => import('./programs/connection-check.js?raw').then((module) => module.default),
  page: { videos: [] },
  steps: [
    {
      id: 'connect',
      title: { en: 'Open the WebSocket to KMS', 'zh-Hans': '打开到 KMS 的 WebSocket' },
      explain: {
        en: 'kurento-client opens ws_uri (ws://…/kurento) and sends its first JSON-RPC ping. When nothing answers, the lab tells apart "nothing listens", "wrong path" and "not a KMS".',
        'zh-Hans': 'kurento-client 打开 ws_uri（ws://…/kurento）并发送第一个 JSON-RPC ping。如果没有应答，实验会区分“没有服务在监听”“路径不对”和“不是 KMS”。',
      },
      sets: ['client'],
    },
    {
      id: 'info',
      title: { en: 'Ask the ServerManager for getInfo', 'zh-Hans': '向 ServerManager 请求 getInfo' },
      explain: {
        en: 'Every KMS has one ServerManager (id manager_ServerManager). getInfo returns the server version and, per module (core, elements, filters), the factories it can create.',
        'zh-Hans': '每个 KMS 都有一个 ServerManager（id 为 manager_ServerManager）。getInfo 返回服务器版本，以及每个模块（core、elements、filters）能创建的工厂。',
      },
      sets: ['serverManager', 'serverInfo'],
      check: (view) => {
        const info = view.read('serverInfo') as ServerInfoLike | undefined;
        const modules = (info?.modules ?? []).map((module) => `${String(module.name)} (${module.factories?.length ?? 0})`).join(', ');
        return { ok: typeof info?.version === 'string', detail: `KMS ${String(info?.version)}: ${modules}` };
      },
    },
    {
      id: 'pipelines',
      title: { en: 'List the pipelines that exist now', 'zh-Hans': '列出当前存在的管道' },
      explain: {
        en: 'getPipelines shows every pipeline on the server, whoever created it. Pipelines that were never released stay here, using memory and ports: release them when you are done.',
        'zh-Hans': 'getPipelines 显示服务器上的所有管道，不论是谁创建的。从未释放的管道会一直留在这里，占用内存和端口：用完请记得释放。',
      },
      sets: ['pipelineCount'],
      check: (view) => {
        const count = view.read('pipelineCount');
        return { ok: typeof count === 'number', detail: String(count ?? 0) };
      },
    },
    {
      id: 'events',
      title: { en: 'Create and release a pipeline, watch the events', 'zh-Hans': '创建并释放一个管道，观察事件' },
      explain: {
        en: 'The ServerManager raises ObjectCreated and ObjectDestroyed. Seeing both proves that subscriptions work and that KMS events reach this page.',
        'zh-Hans': 'ServerManager 会触发 ObjectCreated 和 ObjectDestroyed。两个都看到，就证明订阅有效，KMS 的事件能够到达本页面。',
      },
      sets: ['testPipeline'],
      expects: ['created', 'destroyed'],
    },
  ],
  expected: [
    {
      id: 'created',
      label: { en: 'ObjectCreated (ServerManager)', 'zh-Hans': 'ObjectCreated（ServerManager）' },
      lane: 'kms',
      source: 'serverManager',
      type: 'ObjectCreated',
      within: 10000,
      hint: {
        en: 'Subscriptions do not deliver events: is something between the browser and KMS (a proxy) dropping WebSocket messages?',
        'zh-Hans': '订阅收不到事件：浏览器和 KMS 之间是否有什么东西（例如代理）丢弃了 WebSocket 消息？',
      },
    },
    {
      id: 'destroyed',
      label: { en: 'ObjectDestroyed (ServerManager)', 'zh-Hans': 'ObjectDestroyed（ServerManager）' },
      lane: 'kms',
      source: 'serverManager',
      type: 'ObjectDestroyed',
      after: ['created'],
      within: 10000,
      hint: {
        en: 'The release request did not destroy the pipeline; look for an error answer in the JSON-RPC inspector.',
        'zh-Hans': 'release 请求没有销毁管道；请在 JSON-RPC 检查器中查找错误应答。',
      },
    },
  ],
  completion: {
    en: 'Complete when KMS answered getInfo and getPipelines and its ObjectCreated / ObjectDestroyed events arrived.',
    'zh-Hans': '当 KMS 应答了 getInfo 和 getPipelines，且它的 ObjectCreated / ObjectDestroyed 事件到达时完成。',
  },
};
