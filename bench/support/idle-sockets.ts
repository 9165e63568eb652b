import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { HolderMessage, HolderTask, ParentMessage } from './idle-socket-holder';

/**
 * Sockets one holder process opens at most: under the 20,000 open files a process may have
 * here, with room for its other descriptors.
 */
export const SOCKETS_PER_HOLDER = 15_000;
/** Client addresses each holder may use (10.x.y.z from its own offset). */
const ADDRESSES_PER_HOLDER = 1 << 20;

export interface IdleSocketsOptions {
  urls: string[];
  run: string;
  sockets: number;
  perMember: number;
  /** Opening at once, over all holders. */
  concurrency: number;
  onProgress(opened: number): void;
}

export interface IdleSockets {
  /** Sockets open on each instance. */
  perInstance: number[];
  /** Attempts refused with 1013 (the store too slow to authenticate) and retried. */
  retried: number;
  /** How many of them have closed so far, by close code. */
  census(): Promise<{ closed: number; codes: [number | undefined, number][] }>;
  stop(): Promise<void>;
}

/**
 * Opens `sockets` idle subscribed sockets over the instances from as many holder processes
 * as the per-process open-files limit needs (one up to 15,000), and holds them until stop.
 */
export async function openIdleSockets(options: IdleSocketsOptions): Promise<IdleSockets> {
  const count = Math.max(1, Math.ceil(options.sockets / SOCKETS_PER_HOLDER));
  const share = Math.ceil(options.sockets / count);
  const holders: ChildProcess[] = [];
  const opened = new Array<number>(count).fill(0);
  const stop = async () => {
    await Promise.all(
      holders.map(
        (holder) =>
          new Promise<void>((done) => {
            if (holder.exitCode !== null || holder.signalCode !== null) return done();
            holder.once('exit', () => done());
            holder.send({ type: 'stop' } satisfies ParentMessage, (error) => error && holder.kill('SIGKILL'));
          }),
      ),
    );
  };
  try {
    const results = await Promise.all(
      Array.from({ length: count }, (_, k) => {
        const holder = fork(resolve(__dirname, 'idle-socket-holder.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
        holders.push(holder);
        const task: HolderTask = {
          urls: options.urls,
          run: options.run,
          from: k * share,
          to: Math.min(options.sockets, (k + 1) * share),
          perMember: options.perMember,
          concurrency: Math.max(1, Math.ceil(options.concurrency / count)),
          ipOffset: k * ADDRESSES_PER_HOLDER,
        };
        return new Promise<{ perInstance: number[]; retried: number }>((done, fail) => {
          holder.on('message', (message: HolderMessage) => {
            if (message.type === 'progress') {
              opened[k] = message.opened;
              options.onProgress(opened.reduce((sum, n) => sum + n, 0));
            } else if (message.type === 'opened') done(message);
            else if (message.type === 'failed') fail(Object.assign(new Error(message.message), { code: message.emfile ? 'EMFILE' : undefined }));
          });
          holder.once('exit', (code) => fail(new Error(`idle-socket holder ${k} exited (${code}) before its sockets were open`)));
          holder.send({ type: 'open', task } satisfies ParentMessage);
        });
      }),
    );
    return {
      perInstance: options.urls.map((_, i) => results.reduce((sum, result) => sum + result.perInstance[i]!, 0)),
      retried: results.reduce((sum, result) => sum + result.retried, 0),
      async census() {
        const answers = await Promise.all(
          holders.map(
            (holder) =>
              new Promise<Extract<HolderMessage, { type: 'census' }>>((done) => {
                const listen = (message: HolderMessage) => {
                  if (message.type !== 'census') return;
                  holder.off('message', listen);
                  done(message);
                };
                holder.on('message', listen);
                holder.send({ type: 'census' } satisfies ParentMessage);
              }),
          ),
        );
        const codes = new Map<number | undefined, number>();
        for (const answer of answers) for (const [code, n] of answer.codes) codes.set(code, (codes.get(code) ?? 0) + n);
        return { closed: answers.reduce((sum, answer) => sum + answer.closed, 0), codes: [...codes] };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
