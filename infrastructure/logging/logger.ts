import { hostname } from 'node:os';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Name of this instance in every log line (env INSTANCE_ID). @default host name + pid */
export function defaultInstanceId(): string {
  return process.env.INSTANCE_ID?.trim() || `${hostname()}-${process.pid}`;
}

/**
 * One structured line per event. Every line carries `instance`; callers add `userId` and
 * `action` so an operator can follow one member across instances.
 */
export function createLogger(instance: string = defaultInstanceId()): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  return pino({ level, base: { instance }, timestamp: pino.stdTimeFunctions.isoTime });
}
