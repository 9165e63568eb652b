import { isObjectType, type GraphQLSchema } from 'graphql';
import { OperationLimitError } from './operation-limit-error';

/**
 * The time one query or mutation may run. graphql-js cannot abort an execution, so every
 * resolver of the schema checks the deadline (see `enforceDeadlines`): once it passed, a
 * resolver still waiting rejects at once and no new one starts, so the execution unwinds
 * within a tick instead of finishing a page of ten thousand rows.
 */
export class OperationDeadline {
  private passed = false;
  private readonly waiting = new Set<(error: Error) => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly timeoutMs: number) {
    this.timer = setTimeout(() => this.expire(), timeoutMs);
    this.timer.unref();
  }

  get expired(): boolean {
    return this.passed;
  }

  error(): OperationLimitError {
    return new OperationLimitError(
      'OPERATION_TIMEOUT',
      `The operation ran longer than ${this.timeoutMs} ms and was stopped; a change it made may still have been applied`,
    );
  }

  /** Throws once the deadline passed. */
  check(): void {
    if (this.passed) throw this.error();
  }

  /** `work`, or the timeout's refusal if the deadline passes first. */
  race<T>(work: Promise<T>): Promise<T> {
    this.check();
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      work.then(
        (value) => {
          this.waiting.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.waiting.delete(reject);
          reject(error);
        },
      );
    });
  }

  /** Stops the clock (the operation ended). */
  end(): void {
    clearTimeout(this.timer);
    this.waiting.clear();
  }

  private expire(): void {
    this.passed = true;
    for (const reject of this.waiting) reject(this.error());
    this.waiting.clear();
  }
}

/**
 * Makes every resolver of `schema` honour its operation's deadline (`context.deadline`,
 * set for queries and mutations only; subscriptions run without one). Default resolvers
 * (property reads) are left alone: they cannot wait.
 */
export function enforceDeadlines(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = (source, args, context: { deadline?: OperationDeadline } | undefined, info) => {
        const deadline = context?.deadline;
        if (!deadline) return resolve(source, args, context, info);
        deadline.check();
        const result = resolve(source, args, context, info);
        return result instanceof Promise ? deadline.race(result) : result;
      };
    }
  }
  return schema;
}
