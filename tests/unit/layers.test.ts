/**
 * The layers of the project (docs → src → labs → core; server/apps and bench → core; server/kms/protocol → objects →
 * media) are kept by ESLint's no-restricted-imports in eslint.config.mjs: these imports must fail `npm run lint`, and
 * the allowed ones must pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return (result?.messages ?? []).some((message) => message.ruleId === 'no-restricted-imports');
}

test('imports that go up a layer fail the lint; imports down pass', async () => {
  const cases: Array<[string, string, boolean]> = [
    ['core/x.ts', "import '../labs/index';", true],
    ['core/x.ts', "import '../src/kurento/load';", true],
    ['labs/x.ts', "import '../src/kurento/load';", true],
    ['labs/x.ts', "import '@site/src/kurento/load';", true],
    ['labs/framework/x.ts', "import '../../server/kms/server';", true],
    ['server/apps/x.ts', "import '../../labs/index';", true],
    ['bench/x.ts', "import '../labs/index';", true],
    ['src/components/x.tsx', "import '../../server/main';", true],
    ['server/kms/protocol/x.ts', "import '../media/graph';", true],
    ['server/kms/objects/x.ts', "import '../protocol/jsonrpc';", true],
    ['server/kms/media/x.ts', "import '../objects/MediaObject';", true],
    ['labs/x.ts', "import '../core/kurento';", false],
    ['src/components/x.tsx', "import '@site/labs/index';", false],
    ['server/apps/x.ts', "import '../../core/kurento';", false],
    ['bench/x.ts', "import '../core/kurento';", false],
    ['server/kms/protocol/x.ts', "import '../objects/registry';", false],
  ];
  for (const [file, source, expected] of cases) {
    assert.equal(await restricted(file, `${source}\n`), expected, `${file}: ${source}`);
  }
});
