/**
 * "Download as app": the lab's program (with the learner's edits and settings) as a zip of a small static site,
 * built in the browser. The two prebuilt bundles come from this site's /vendor/ URLs.
 */
import { zip } from '@site/core/zip';
import { exportFiles } from '@site/labs/framework/export';
import type { Program } from '@site/labs/framework/program';
import type { AnyLab, Locale } from '@site/labs/framework/types';
import runtimeSource from '@site/labs/runtime/lab-runtime.js?raw';

async function text(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

export async function exportLabApp(options: { lab: AnyLab; program: Program; locale: Locale; code: (section: string) => string; vendor: { client: string; utils: string }; dark: boolean }): Promise<Blob> {
  const [client, utils] = await Promise.all([text(options.vendor.client), text(options.vendor.utils)]);
  const name = (url: string): string => url.slice(url.lastIndexOf('/') + 1);
  const files = exportFiles({
    lab: options.lab,
    program: options.program,
    locale: options.locale,
    code: options.code,
    kurentoClient: { name: name(options.vendor.client), text: client },
    kurentoUtils: { name: name(options.vendor.utils), text: utils },
    runtime: runtimeSource,
  });
  const bytes = zip(files);
  return new Blob([bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer], { type: 'application/zip' });
}
