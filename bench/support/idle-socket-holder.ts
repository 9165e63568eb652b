/**
 * A child process of the block bench that opens and holds a share of its idle subscribed
 * sockets. The open-files limit is per process (20,000 here, and raising it needs a
 * capability these machines do not grant), so 50,000 sockets need several holders.
 *
 * Talks to its parent over IPC only (see idle-sockets.ts for the messages); exits when the
 * parent says stop or goes away.
 */
import { signToken } from '../../test/support/tokens';
import { isEmfile, openWithRetry, pool, retriedCount, startClientIpsAt, type LeanSocket } from './lean-client';

export interface HolderTask {
  urls: string[];
  run: string;
  /** Socket indexes [from, to) of the whole run: index → member and instance as in one process. */
  from: number;
  to: number;
  perMember: number;
  concurrency: number;
  ipOffset: number;
}

export type HolderMessage =
  | { type: 'progress'; opened: number }
  | { type: 'opened'; perInstance: number[]; retried: number }
  | { type: 'failed'; message: string; emfile: boolean }
  | { type: 'census'; closed: number; codes: [number | undefined, number][] };

export type ParentMessage = { type: 'open'; task: HolderTask } | { type: 'census' } | { type: 'stop' };

const held: LeanSocket[] = [];
const send = (message: HolderMessage) => process.send?.(message);

async function open(task: HolderTask): Promise<void> {
  startClientIpsAt(task.ipOffset);
  const tokens = new Map<number, Promise<string>>();
  const tokenOf = (member: number) => {
    let token = tokens.get(member);
    if (!token) tokens.set(member, (token = signToken({ sub: `idle-${task.run}-${member}`, expiresIn: 24 * 3600 })));
    return token;
  };
  const perInstance = task.urls.map(() => 0);
  const progress = setInterval(() => send({ type: 'progress', opened: held.length }), 2_000);
  try {
    await pool(task.to - task.from, task.concurrency, async (offset) => {
      const index = task.from + offset;
      const on = index % task.urls.length; // a member's sockets go round the instances
      held.push(await openWithRetry(task.urls[on]!, await tokenOf(Math.floor(index / task.perMember))));
      perInstance[on]!++;
    });
    send({ type: 'opened', perInstance, retried: retriedCount() });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error), emfile: isEmfile(error) });
  } finally {
    clearInterval(progress);
  }
}

function census(): HolderMessage {
  const codes = new Map<number | undefined, number>();
  let closed = 0;
  for (const socket of held) {
    if (socket.closedAt === undefined) continue;
    closed++;
    codes.set(socket.closeCode, (codes.get(socket.closeCode) ?? 0) + 1);
  }
  return { type: 'census', closed, codes: [...codes] };
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'open') void open(message.task);
  else if (message.type === 'census') send(census());
  else if (message.type === 'stop') {
    for (const socket of held) socket.ws.terminate();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
