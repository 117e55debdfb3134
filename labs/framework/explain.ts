/**
 * Failures a learner can cause, explained in plain words with the fix, in both languages. Each explanation has a
 * stable code, so the UI and the preflight table can tell them apart.
 */
import { fill, type Localized } from '../../core/localized';

export interface Explanation {
  code: string;
  title: Localized;
  fix: Localized;
  /** The raw error, for the curious (not translated). */
  technical?: string;
  /** The section of the program (a step id) and the 1-based line and column the error points at, when known. */
  section?: string;
  line?: number;
  column?: number;
  /** A page of the site that explains more (e.g. the troubleshooting entry of a KMS error code). */
  link?: string;
}

/** The troubleshooting entry that lists every KMS error code. */
export const ERROR_CODES_LINK = '/docs/troubleshooting#error-codes';

/** Thrown by lab code and by the context for failures it has already understood. */
export class LabError extends Error {
  constructor(readonly explanation: Explanation) {
    super(explanation.title.en);
    this.name = 'LabError';
  }
}


export const explain = {
  kmsUnreachable(url: string, technical?: string): Explanation {
    return {
      code: 'kms-unreachable',
      title: fill({ en: 'No KMS answered at {url}.', 'zh-Hans': '{url} 上没有 KMS 应答。' }, { url }),
      fix: {
        en: 'Start the site with `npm start` (it runs the embedded KMS on port 8888), or, for your own KMS, check that the service runs (`ps -ef | grep kurento-media-server`), that port 8888 is open, and that the URL in the KMS settings is right.',
        'zh-Hans': '用 `npm start` 启动本站（它会在 8888 端口运行内置 KMS）；如果使用自己的 KMS，请确认服务在运行（`ps -ef | grep kurento-media-server`）、8888 端口已开放，并检查 KMS 设置中的地址是否正确。',
      },
      technical,
    };
  },
  kmsOriginRefused(url: string, origin: string): Explanation {
    return {
      code: 'kms-origin-refused',
      title: fill({ en: 'The KMS at {url} answered, but it refuses pages from {origin}.', 'zh-Hans': '{url} 上的 KMS 有应答，但它拒绝来自 {origin} 的页面。' }, { url, origin }),
      fix: fill(
        {
          en: 'The embedded KMS only lets in browser pages whose origin it was told about. Start it with `npm run kms -- --allow-origin {origin}` (repeat the option for more origins), or open this site from an origin it already allows.',
          'zh-Hans': '内置 KMS 只接受它已知来源（origin）的浏览器页面。请用 `npm run kms -- --allow-origin {origin}` 启动它（多个来源可重复该选项），或者从它已允许的来源打开本站。',
        },
        { origin },
      ),
    };
  },
  kmsRefused(url: string, technical?: string): Explanation {
    return {
      code: 'kms-refused',
      title: fill({ en: 'Something answers at {url}, but it refused the WebSocket.', 'zh-Hans': '{url} 有服务应答，但它拒绝了 WebSocket 连接。' }, { url }),
      fix: {
        en: 'A server listens there but did not accept this page: a KMS that checks the page origin or needs an access token, a proxy in between, or a web server that is not KMS. Check the URL (host, port, the path /kurento) and that server\'s log for why it refused.',
        'zh-Hans': '那里有服务器在监听，但没有接受这个页面：可能是检查页面来源或需要访问令牌的 KMS、中间的代理，或者并非 KMS 的 Web 服务器。请检查地址（主机、端口、路径 /kurento），并查看该服务器的日志了解拒绝原因。',
      },
      technical,
    };
  },
  kmsWrongPath(url: string): Explanation {
    return {
      code: 'kms-wrong-path',
      title: fill({ en: 'Something answers at {url}, but it closed the connection: wrong path.', 'zh-Hans': '{url} 有服务应答，但它关闭了连接：路径不对。' }, { url }),
      fix: {
        en: 'KMS only accepts WebSockets on the path /kurento (for example ws://127.0.0.1:8888/kurento). Fix the path in the KMS settings.',
        'zh-Hans': 'KMS 只在 /kurento 路径上接受 WebSocket（例如 ws://127.0.0.1:8888/kurento）。请在 KMS 设置中修正路径。',
      },
    };
  },
  notAKms(url: string, technical?: string): Explanation {
    return {
      code: 'not-a-kms',
      title: fill({ en: 'The server at {url} is not a Kurento Media Server.', 'zh-Hans': '{url} 上的服务器不是 Kurento Media Server。' }, { url }),
      fix: {
        en: 'It accepted the WebSocket but did not answer the Kurento protocol (a JSON-RPC ping). Check the host and port: KMS listens on 8888 by default, 8433 for wss.',
        'zh-Hans': '它接受了 WebSocket，却没有按 Kurento 协议应答（JSON-RPC ping）。请检查主机和端口：KMS 默认监听 8888，wss 为 8433。',
      },
      technical,
    };
  },
  mixedContent(url: string): Explanation {
    return {
      code: 'mixed-content',
      title: fill({ en: 'This https page may not open the insecure {url}.', 'zh-Hans': '这个 https 页面不能打开不安全的 {url}。' }, { url }),
      fix: {
        en: 'Browsers block ws:// from https:// pages. Use a wss:// URL (KMS secure port 8433, or `npm start -- --https`), or open the site over http on localhost.',
        'zh-Hans': '浏览器会阻止 https:// 页面连接 ws://。请使用 wss:// 地址（KMS 安全端口 8433，或 `npm start -- --https`），或者在 localhost 上用 http 打开本站。',
      },
    };
  },
  insecureContext(origin: string): Explanation {
    return {
      code: 'insecure-context',
      title: fill({ en: '{origin} is not a secure context: the browser will not give the labs a camera.', 'zh-Hans': '{origin} 不是安全上下文：浏览器不会把摄像头交给实验。' }, { origin }),
      fix: {
        en: 'Open the site on http://localhost or http://127.0.0.1, or over https (a workshop on the LAN: `npm start -- --host 0.0.0.0 --https`).',
        'zh-Hans': '请通过 http://localhost 或 http://127.0.0.1 打开本站，或者使用 https（局域网培训：`npm start -- --host 0.0.0.0 --https`）。',
      },
    };
  },
  noCamera(technical: string, name: string): Explanation {
    const denied = name === 'NotAllowedError' || name === 'SecurityError';
    const missing = name === 'NotFoundError' || name === 'OverconstrainedError';
    return {
      code: denied ? 'camera-denied' : missing ? 'camera-missing' : 'camera-busy',
      title: denied
        ? { en: 'The browser refused camera and microphone access.', 'zh-Hans': '浏览器拒绝了摄像头和麦克风权限。' }
        : missing
          ? { en: 'No camera or microphone was found.', 'zh-Hans': '没有找到摄像头或麦克风。' }
          : { en: 'The camera could not be opened.', 'zh-Hans': '无法打开摄像头。' },
      fix: denied
        ? {
            en: 'Allow the camera and microphone for this site (the camera icon in the address bar), then press Run again.',
            'zh-Hans': '请允许本站使用摄像头和麦克风（地址栏中的摄像头图标），然后再次点击“运行”。',
          }
        : missing
          ? {
              en: 'Connect a camera, or start Chromium with --use-fake-device-for-media-stream for a test pattern, then run again.',
              'zh-Hans': '请连接摄像头，或用 --use-fake-device-for-media-stream 参数启动 Chromium 以获得测试画面，然后再运行。',
            }
          : {
              en: 'Another application may be using it. Close it, then run again.',
              'zh-Hans': '可能有其他程序正在使用它。关闭那个程序后再运行。',
            },
      technical,
    };
  },
  syntaxError(where: Localized, line: number | undefined, message: string): Explanation {
    return {
      code: 'syntax-error',
      title: line
        ? { en: `Syntax error in ${where.en}, line ${line}: nothing ran.`, 'zh-Hans': `${where['zh-Hans']}第 ${line} 行有语法错误：代码没有运行。` }
        : { en: `Syntax error in ${where.en}: nothing ran.`, 'zh-Hans': `${where['zh-Hans']}有语法错误：代码没有运行。` },
      fix: {
        en: 'The browser could not read this code, so the lab ran none of it. Look at the marked line (and the one before it): a missing bracket, comma or quote is the usual cause. Reset restores the original code.',
        'zh-Hans': '浏览器无法读懂这段代码，所以实验一行也没有运行。请查看标出的那一行（以及它的上一行）：通常是少了括号、逗号或引号。“还原”可以恢复原来的代码。',
      },
      technical: message,
      ...(line ? { line } : {}),
    };
  },
  exception(where: Localized, line: number | undefined, message: string): Explanation {
    return {
      code: 'step-exception',
      title: line
        ? { en: `${where.en}, line ${line}: ${message}`, 'zh-Hans': `${where['zh-Hans']}第 ${line} 行：${message}` }
        : { en: `${where.en}: ${message}`, 'zh-Hans': `${where['zh-Hans']}：${message}` },
      fix: {
        en: 'The code threw this error while it ran. A name that is undefined is the usual cause: a variable an earlier step should have set, or a typo. The timeline shows what happened before.',
        'zh-Hans': '代码在运行时抛出了这个错误。最常见的原因是某个名字未定义：本应由前面步骤设置的变量，或者拼写错误。时间线上可以看到之前发生了什么。',
      },
      technical: message,
      ...(line ? { line } : {}),
    };
  },
  stepTimeout(where: Localized, seconds: number, missing: readonly Localized[]): Explanation {
    const list = (locale: 'en' | 'zh-Hans'): string => missing.map((item) => item[locale]).join(locale === 'en' ? '; ' : '；');
    return {
      code: 'step-timeout',
      title: {
        en: `${where.en} did not finish within ${seconds} s. Still missing: ${list('en')}.`,
        'zh-Hans': `${where['zh-Hans']}在 ${seconds} 秒内没有完成。仍然缺少：${list('zh-Hans')}。`,
      },
      fix: {
        en: 'A callback that never ran leaves its variable undefined: check that the code calls what the step needs, and that every callback hands errors to onError. The timeline shows the last event that did arrive.',
        'zh-Hans': '从未执行的回调会让它的变量保持 undefined：请检查代码是否调用了这一步需要的方法，以及每个回调是否把错误交给 onError。时间线上可以看到最后到达的事件。',
      },
    };
  },
  kmsError(code: number, message: string, type: string | undefined): Explanation {
    if (code === 40108) {
      return {
        code: 'kms-factory-missing',
        title: fill({ en: 'This KMS cannot create that element: {message}.', 'zh-Hans': '这个 KMS 无法创建该元素：{message}。' }, { message }),
        fix: {
          en: 'The element comes from a module this KMS does not have (ServerManager.getInfo lists the factories), or its name is misspelt. Use a KMS with that module, or check the name.',
          'zh-Hans': '该元素所属的模块在这个 KMS 上不存在（ServerManager.getInfo 会列出可用的工厂），或者名字拼错了。请换一个带有该模块的 KMS，或检查名字。',
        },
        technical: `${code} ${type ?? ''} ${message}`,
        link: ERROR_CODES_LINK,
      };
    }
    return {
      code: `kms-${code}`,
      title: fill({ en: 'KMS refused the request: {message} ({code}).', 'zh-Hans': 'KMS 拒绝了请求：{message}（{code}）。' }, { message, code }),
      fix: {
        en: 'The JSON-RPC inspector shows the request and the error KMS returned; the troubleshooting chapter explains each error code.',
        'zh-Hans': 'JSON-RPC 检查器中可以看到这个请求和 KMS 返回的错误；“故障排查”一章解释了每个错误码。',
      },
      technical: `${code} ${type ?? ''} ${message}`,
      link: ERROR_CODES_LINK,
    };
  },
  iceFailed(): Explanation {
    return {
      code: 'ice-failed',
      title: { en: 'ICE failed: the browser and KMS found no network path to each other.', 'zh-Hans': 'ICE 失败：浏览器和 KMS 之间找不到可用的网络路径。' },
      fix: {
        en: 'On one machine this means a candidate is missing (loopback disabled, or a firewall). Across networks you need STUN or TURN: set the ICE servers in the KMS settings, and stunServerAddress/turnURL on KMS.',
        'zh-Hans': '在同一台机器上，这说明缺少候选地址（回环被禁用或有防火墙）。跨网络时需要 STUN 或 TURN：在 KMS 设置中填写 ICE 服务器，并在 KMS 上配置 stunServerAddress/turnURL。',
      },
    };
  },
  turnMissing(reason?: string): Explanation {
    const notInstalled = reason === undefined || /not installed/i.test(reason);
    return {
      code: 'turn-missing',
      title: notInstalled
        ? { en: 'There is no TURN server: coturn is not installed.', 'zh-Hans': '没有 TURN 服务器：coturn 没有安装。' }
        : fill({ en: 'No TURN server for this lab: {reason}.', 'zh-Hans': '这个实验没有可用的 TURN 服务器：{reason}。' }, { reason: reason.replace(/\.$/, '') }),
      fix: {
        en: '`npm start` runs coturn when it is installed: install it with `sudo apt-get install coturn`, then stop `npm start` (Ctrl+C) and start it again. Or use a TURN server of your own: add it to the ICE servers in the KMS settings, for example [{"urls":"turn:192.168.1.10:3478?transport=udp","username":"kurento","credential":"kurento"}] (KMS needs an IPv4 address, not a name), or start the site with TURN_URL=user:password@ip:3478?transport=udp.',
        'zh-Hans': '安装了 coturn 时，`npm start` 会自动运行它：用 `sudo apt-get install coturn` 安装，然后停止 `npm start`（Ctrl+C）再重新启动。也可以使用你自己的 TURN 服务器：在 KMS 设置的 ICE 服务器中加入它，例如 [{"urls":"turn:192.168.1.10:3478?transport=udp","username":"kurento","credential":"kurento"}]（KMS 需要 IPv4 地址，不能用域名），或者用 TURN_URL=user:password@ip:3478?transport=udp 启动本站。',
      },
      technical: reason,
    };
  },
  timeout(what: Localized, seconds: number): Explanation {
    return {
      code: 'timeout',
      title: {
        en: `${what.en}: not done within ${seconds} s.`,
        'zh-Hans': `${what['zh-Hans']}：${seconds} 秒内没有完成。`,
      },
      fix: {
        en: 'Look at the event timeline for the last event that did arrive, and at the hint next to the first unticked expected event.',
        'zh-Hans': '请在事件时间线上找到最后一个到达的事件，并查看预期事件清单中第一个未打勾事件旁的提示。',
      },
    };
  },
  unexpected(technical: string): Explanation {
    return {
      code: 'unexpected',
      title: { en: 'The lab stopped on an unexpected error.', 'zh-Hans': '实验因意外错误而停止。' },
      fix: {
        en: 'The technical details are below. Press Reset and run again; if it repeats, check the KMS logs.',
        'zh-Hans': '技术细节见下方。点击“重置”后再运行一次；如果问题重复出现，请查看 KMS 日志。',
      },
      technical,
    };
  },
};

/** Turns anything thrown during a step into an explanation. */
export function explainError(error: unknown): Explanation {
  if (error instanceof LabError) return error.explanation;
  const record = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown; data?: { type?: string }; name?: string };
  if (typeof record.code === 'number' && record.code >= 40000 && record.code < 50000) {
    return explain.kmsError(record.code, String(record.message ?? ''), record.data?.type);
  }
  if (typeof DOMException !== 'undefined' && error instanceof DOMException && /NotAllowed|NotFound|NotReadable|Overconstrained|Security|Abort/.test(error.name)) {
    return explain.noCamera(`${error.name}: ${error.message}`, error.name);
  }
  return explain.unexpected(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
