/**
 * `npm run lint` runs this: the translation completeness check of src/plugins/i18n-completeness.ts (which every
 * production build runs too). Fails with the list of what is missing.
 */
import path from 'node:path';
import { checkI18n } from '../src/plugins/i18n-completeness';

const { problems, summary } = checkI18n(path.resolve(__dirname, '..'));
if (problems.length > 0) {
  console.error(`i18n check failed (${problems.length}):\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log(summary);
