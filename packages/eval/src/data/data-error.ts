/** A malformed input line: which file, which line, and why, so it can be fixed at the source. */
export class DataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'DataError';
  }
}
