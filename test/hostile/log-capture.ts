import { LoggerService } from '@nestjs/common';

export interface LogEntry {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
}

/** A Nest logger that keeps every entry, so a test can prove what a node says about bad data. */
export class LogCapture implements LoggerService {
  readonly entries: LogEntry[] = [];

  log(message: unknown): void {
    this.push('log', message);
  }
  error(message: unknown): void {
    this.push('error', message);
  }
  warn(message: unknown): void {
    this.push('warn', message);
  }
  debug(message: unknown): void {
    this.push('debug', message);
  }
  verbose(message: unknown): void {
    this.push('verbose', message);
  }
  fatal(message: unknown): void {
    this.push('fatal', message);
  }

  /** Entries of `level` logged since `from` (an index into `entries`). */
  since(from: number, level: LogEntry['level']): string[] {
    return this.entries
      .slice(from)
      .filter((entry) => entry.level === level)
      .map((entry) => entry.message);
  }

  private push(level: LogEntry['level'], message: unknown): void {
    this.entries.push({ level, message: String(message) });
  }
}
