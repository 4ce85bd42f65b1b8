/**
 * The progress line on stderr (stdout stays for results: an export can be piped). On a terminal
 * the line is rewritten in place; in a pipe or a log, each step is a line of its own.
 */
export class Progress {
  private readonly started = Date.now();
  private open = false;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly enabled: boolean,
  ) {}

  step(message: string): void {
    if (!this.enabled) return;
    const line = `rcc: ${message} (${Date.now() - this.started} ms)`;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[K${line}`);
      this.open = true;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** Clears the in-place line before the summary or an error is written. */
  end(): void {
    if (this.open) this.stream.write('\r\x1b[K');
    this.open = false;
  }
}
