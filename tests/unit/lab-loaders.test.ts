/** labs/loaders.ts (one chunk per lab in the browser) lists exactly the labs of labs/index.ts, in the same order. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LABS } from '../../labs';
import { LAB_LOADERS, loadLab } from '../../labs/loaders';

test('every lab has a loader under its id, and every loader gives that lab', async () => {
  assert.deepEqual(Object.keys(LAB_LOADERS), LABS.map((lab) => lab.id));
  for (const lab of LABS) assert.equal(await loadLab(lab.id), lab);
  assert.equal(await loadLab('no-such-lab'), undefined);
});
