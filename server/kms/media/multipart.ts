/**
 * The file of a multipart/form-data body (an HTML form's file upload, which KMS' HttpPostEndpoint also takes): a
 * stream transform that passes on the content of the first part and drops the rest, without holding the body in
 * memory (only the few bytes that could be the start of the closing boundary are kept back).
 */
import { Transform, type TransformCallback } from 'node:stream';

/** The boundary of a multipart/form-data Content-Type, if it is one. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

const MAX_PART_HEADERS = 16 * 1024;

export class MultipartFile extends Transform {
  private state: 'headers' | 'content' | 'done' = 'headers';
  private held = Buffer.alloc(0);
  private readonly delimiter: Buffer;
  /** The Content-Type of the part, once its headers were read. */
  partType: string | undefined;

  constructor(boundary: string) {
    super();
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
    // The body starts with the first delimiter, without the leading CRLF.
    this.held = Buffer.from('\r\n');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.state === 'done') {
      callback();
      return;
    }
    this.held = Buffer.concat([this.held, chunk]);
    if (this.state === 'headers') {
      const start = this.held.indexOf(this.delimiter);
      const end = start < 0 ? -1 : this.held.indexOf('\r\n\r\n', start + this.delimiter.length);
      if (end < 0) {
        if (this.held.length > MAX_PART_HEADERS) {
          callback(new Error('the multipart body has no part headers within 16 KiB'));
          return;
        }
        callback();
        return;
      }
      const headers = this.held.subarray(start + this.delimiter.length, end).toString('latin1');
      this.held = this.held.subarray(end + 4);
      // Form fields before the file (a text input, a name) are skipped: the file is the part with a filename.
      if (!/filename=/i.test(headers) && !/^content-type:/im.test(headers)) {
        this._transform(Buffer.alloc(0), 'utf8', callback);
        return;
      }
      this.partType = /^content-type:\s*([^\r\n;]+)/im.exec(headers)?.[1]?.trim();
      this.state = 'content';
    }
    const stop = this.held.indexOf(this.delimiter);
    if (stop >= 0) {
      this.push(this.held.subarray(0, stop));
      this.held = Buffer.alloc(0);
      this.state = 'done';
      callback();
      return;
    }
    const keep = Math.min(this.held.length, this.delimiter.length - 1);
    this.push(this.held.subarray(0, this.held.length - keep));
    this.held = this.held.subarray(this.held.length - keep);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.state === 'headers') {
      callback(new Error('the multipart body has no file part'));
      return;
    }
    // A body cut short: what arrived of the part is all there is.
    if (this.state === 'content') this.push(this.held);
    callback();
  }
}
