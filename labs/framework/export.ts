/**
 * A lab as an app of its own: the files of a small static site that runs the lab's program (the learner's edited
 * version where there is one) outside this site, with the learner's KMS URL and ICE servers. No bundler: the page
 * loads the prebuilt kurento-client and kurento-utils bundles, the page runtime, the settings, the declarations, and
 * lets runSteps load each step's script in turn, as the lab ran them.
 */
import type { ZipEntry } from '../../core/zip';
import { DECLARATIONS, SETTINGS, sectionFile, type Program } from './program';
import type { AnyLab, Locale } from './types';
import { pageHtml, PAGE_CSS } from '../runtime/page';

export interface ExportInput {
  lab: AnyLab;
  program: Program;
  locale: Locale;
  /** The code of a section as the learner has it (settings included). */
  code: (section: string) => string;
  /** File names and texts of the two bundles, and of the runtime. */
  kurentoClient: { name: string; text: string };
  kurentoUtils: { name: string; text: string };
  runtime: string;
}

/** Three-tier labs: the page talks to an application server (app_uri in the settings), not to KMS. */
function appServer(input: ExportInput, locale: Locale): string {
  const uri = /var app_uri = (.*);/.exec(input.code(SETTINGS))?.[1];
  if (uri === undefined) return '';
  if (locale === 'zh-Hans') {
    return `
## 应用服务器

这是一个三层应用的网页部分：它不直接连接 KMS，而是连接 \`app_uri\`（${uri}）上的应用服务器，由应用服务器使用 kurento-client。导出时它指向你下载它的 Kurento Labs 站点，所以运行这个应用时要让那个站点（\`npm start\`）保持运行；站点的应用服务器接受本机任何端口上的页面。要换成你自己的应用服务器，修改 \`settings.js\` 中的 \`app_uri\`。
`;
  }
  return `
## The application server

This is the web tier of a three-tier app: it does not talk to KMS but to the application server at \`app_uri\`
(${uri}), which holds the kurento-client. It names the Kurento Labs site you downloaded it from, so keep that site
(\`npm start\`) running while you use the app; its application servers let in pages of this machine on any port. To
use your own application server, change \`app_uri\` in \`settings.js\`.
`;
}

function readme(input: ExportInput, locale: Locale): string {
  const { lab, program } = input;
  const files = program.steps.map((step) => `- \`${sectionFile(program, step.id)}\`: ${lab.steps.find((candidate) => candidate.id === step.id)?.title[locale] ?? step.id}`).join('\n');
  if (locale === 'zh-Hans') {
    return `# ${lab.title['zh-Hans']}

这是从 Kurento Labs 导出的实验，成为一个独立的小应用：不需要打包工具，也不需要本网站。

## 运行

用任意静态文件服务器在这个文件夹里提供文件，然后用浏览器打开它，例如：

\`\`\`bash
python3 -m http.server 8000
# 然后打开 http://localhost:8000/
\`\`\`

也可以用 \`npx http-server -p 8000\` 或任何其他静态服务器。不要直接双击打开 index.html（file:// 页面不能按顺序加载步骤脚本）。

浏览器只在安全上下文中提供摄像头和麦克风：\`http://localhost\`、\`http://127.0.0.1\` 或 \`https://\`。从另一台机器访问时，需要用 https 提供这些文件。

## KMS

\`settings.js\` 中的 \`ws_uri\` 是导出时你在实验设置中使用的 KMS（${input.code(SETTINGS).match(/var ws_uri = (.*);/)?.[1] ?? ''}），\`iceServers\` 是你的 ICE 服务器。要换一个 KMS，修改 \`settings.js\` 即可。

- Kurento Labs 的内置 KMS（\`npm start\` 或 \`npm run kms\`）接受本机任何端口上的页面。
- 真正的 KMS 7.x 接受任何页面；浏览器连接 \`ws://\` 地址时，页面本身不能是 https（混合内容）。
${appServer(input, 'zh-Hans')}
## 文件

- \`index.html\`：页面（视频和状态区），按顺序加载下面的脚本
- \`${input.kurentoClient.name}\`、\`${input.kurentoUtils.name}\`：预先打包的 kurento-client 和 kurento-utils，定义全局变量 \`kurentoClient\` 和 \`kurentoUtils\`
- \`lab-runtime.js\`：\`onError\`、\`addVideo\`、\`testSource\`、\`imageSource\` 和 \`runSteps\`
- \`settings.js\`：你的设置；\`declarations.js\`：各步骤共享的变量
${files}

每个步骤都是普通脚本：修改一个文件后刷新页面即可。当某一步设置的变量都有了值（它的回调已经执行），并且页面发给 KMS 的请求都已得到应答，\`runSteps\` 才加载下一步。
`;
  }
  return `# ${lab.title.en}

This lab of Kurento Labs, exported as an app of its own: no bundler, and no need for the site.

## Run it

Serve this folder with any static file server and open it in a browser, for example:

\`\`\`bash
python3 -m http.server 8000
# then open http://localhost:8000/
\`\`\`

\`npx http-server -p 8000\` or any other static server works too. Opening index.html as a file does not (a file://
page cannot load the steps' scripts in order).

Browsers give the camera and the microphone to secure contexts only: \`http://localhost\`, \`http://127.0.0.1\` or
\`https://\`. To open it from another machine, serve the files over https.

## The KMS

\`ws_uri\` in \`settings.js\` is the KMS of your lab settings when you exported it
(${input.code(SETTINGS).match(/var ws_uri = (.*);/)?.[1] ?? ''}), and \`iceServers\` your ICE servers. Edit
\`settings.js\` to use another KMS.

- The embedded KMS of Kurento Labs (\`npm start\` or \`npm run kms\`) lets in pages of this machine on any port.
- A real KMS 7.x lets in any page; a page served over https cannot open a \`ws://\` URL (mixed content).
${appServer(input, 'en')}
## Files

- \`index.html\`: the page (videos and a status area); it loads the scripts below in order
- \`${input.kurentoClient.name}\`, \`${input.kurentoUtils.name}\`: kurento-client and kurento-utils, prebuilt; they
  define the globals \`kurentoClient\` and \`kurentoUtils\`
- \`lab-runtime.js\`: \`onError\`, \`addVideo\`, \`testSource\`, \`imageSource\` and \`runSteps\`
- \`settings.js\`: your settings; \`declarations.js\`: the variables the steps share
${files}

Each step is an ordinary script: change a file and reload. \`runSteps\` loads a step once the variables the previous
one sets are defined (its callbacks ran) and KMS has answered every request the page sent.
`;
}

/** The files of the exported app, under a folder named after the lab. */
export function exportFiles(input: ExportInput): ZipEntry[] {
  const { lab, program, locale } = input;
  const folder = `kurento-labs-${lab.id}`;
  const steps = program.steps.map((step) => {
    const definition = lab.steps.find((candidate) => candidate.id === step.id);
    return {
      file: sectionFile(program, step.id),
      title: definition?.title[locale] ?? step.id,
      sets: [...(definition?.sets ?? [])],
      ...(definition?.timeout ? { timeout: definition.timeout } : {}),
    };
  });
  const runSteps = `<script src="settings.js"></script>
  <script src="declarations.js"></script>
  <script>
    // Each step's script, in order; the next loads once the variables a step sets are defined and KMS answered.
    runSteps(${JSON.stringify(steps, null, 2).replace(/\n/g, '\n    ')});
  </script>`;
  const html = pageHtml({
    title: lab.title[locale],
    page: lab.page,
    locale,
    kurentoClientSrc: input.kurentoClient.name,
    kurentoUtilsSrc: input.kurentoUtils.name,
    runtime: { src: 'lab-runtime.js' },
    css: { href: 'lab-page.css' },
    after: runSteps,
  });
  const entries: ZipEntry[] = [
    { name: 'index.html', data: html },
    { name: 'lab-page.css', data: `${PAGE_CSS}\n` },
    { name: 'lab-runtime.js', data: input.runtime },
    { name: input.kurentoClient.name, data: input.kurentoClient.text },
    { name: input.kurentoUtils.name, data: input.kurentoUtils.text },
    { name: 'settings.js', data: `${input.code(SETTINGS)}\n` },
    { name: 'declarations.js', data: `${input.code(DECLARATIONS)}\n` },
    ...program.steps.map((step) => ({ name: sectionFile(program, step.id), data: `${input.code(step.id)}\n` })),
    { name: 'README.md', data: readme(input, 'en') },
    { name: 'README.zh-Hans.md', data: readme(input, 'zh-Hans') },
  ];
  return entries.map((entry) => ({ ...entry, name: `${folder}/${entry.name}` }));
}
