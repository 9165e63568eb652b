/** The log calls the service helpers make; a pino `Logger` satisfies it. */
export interface ServiceLog {
  info(message: string): void;
  warn(message: string): void;
}
