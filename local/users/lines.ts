import type { Readable } from 'node:stream';

export interface Line {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  /** Bytes of the file read so far, for progress. */
  bytesRead: number;
}

/**
 * The lines of a stream, read with back-pressure (the consumer's awaits pause
 * the file), so memory holds one chunk and the current batch, whatever the
 * file's size. A line longer than `maxLineBytes` is cut off and reported with
 * `tooLong` instead of being buffered.
 */
export async function* readLines(input: Readable, maxLineBytes: number): AsyncGenerator<Line & { tooLong?: boolean }> {
  let carry = '';
  let dropping = false;
  let number = 0;
  let bytesRead = 0;
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    bytesRead += Buffer.byteLength(chunk);
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, newline);
      start = newline + 1;
      number += 1;
      if (dropping) {
        dropping = false;
        carry = '';
        yield { number, text: '', bytesRead, tooLong: true };
        continue;
      }
      const text = (carry + piece).replace(/\r$/, '');
      carry = '';
      yield { number, text, bytesRead };
    }
    if (!dropping) carry += chunk.slice(start);
    if (carry.length > maxLineBytes) {
      dropping = true;
      carry = '';
    }
  }
  if (dropping || carry) {
    number += 1;
    yield dropping ? { number, text: '', bytesRead, tooLong: true } : { number, text: carry.replace(/\r$/, ''), bytesRead };
  }
}
