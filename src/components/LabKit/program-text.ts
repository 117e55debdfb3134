/**
 * A lab's program as a page shows and runs it: on the Chinese pages with its comments in Chinese, from
 * labs/programs/<id>.zh-Hans.json (labs/framework/comments.ts replaces comment text only; a unit test proves the code is
 * unchanged). The text returned is the one the page shows, runs and exports.
 */
import { translateComments, type CommentTable } from '@site/labs/framework/comments';
import type { AnyLab, Locale } from '@site/labs/framework/types';

async function commentTable(id: string, locale: Locale): Promise<CommentTable | undefined> {
  try {
    const module = (await import(/* webpackChunkName: "lab-comments" */ `@site/labs/programs/${id}.${locale}.json`)) as { default: CommentTable };
    return module.default;
  } catch {
    // No table for this program (yet): its comments stay English, the code runs the same.
    return undefined;
  }
}

export async function programText(lab: AnyLab, locale: Locale): Promise<string> {
  const text = await lab.program();
  if (locale === 'en') return text;
  const table = await commentTable(lab.id, locale);
  return table ? translateComments(text, table) : text;
}
