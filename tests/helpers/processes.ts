/** The processes of this machine, read from /proc: tests use it to prove what the embedded KMS started and ended. */
import { readFile, readdir } from 'node:fs/promises';

export async function processes(): Promise<Array<{ pid: number; ppid: number; cmdline: string }>> {
  const result: Array<{ pid: number; ppid: number; cmdline: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ');
      result.push({ pid: Number(entry), ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return result;
}

/**
 * The ffmpeg processes the embedded KMS (in this process) started whose command line contains `marker`. Its workers
 * run with -nostdin; the test's own sources and decoders do not.
 */
export async function kmsFfmpeg(marker: string): Promise<string[]> {
  return (await processes())
    .filter((p) => p.ppid === process.pid && p.cmdline.startsWith('ffmpeg') && p.cmdline.includes(' -nostdin ') && p.cmdline.includes(marker))
    .map((p) => p.cmdline);
}


/** Resolves once no ffmpeg of the embedded KMS names `marker`; rejects with the ones left after `timeoutMs`. */
export async function noKmsFfmpegLeft(marker: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await kmsFfmpeg(marker);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`ffmpeg still running after ${timeoutMs} ms: ${left.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
