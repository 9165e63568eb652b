import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveMongo } from '../infrastructure/services/resolve-mongo';
import { resolveRedis } from '../infrastructure/services/resolve-redis';
import { startInstances, stopAllInstances } from '../test/multi/support/instance-process';
import { openIdleSockets } from './support/idle-sockets';
import { seedMembers } from './support/seed-members';
import { withDatabase } from '../test/support/test-env';
import { readdirSync } from 'node:fs';

async function main() {
  const log = { info: (m: string) => console.log(m), warn: (m: string) => console.log(m) } as any;
  const [mongoServer, redisServer] = await Promise.all([resolveMongo(log), resolveRedis(log, { allowInProcess: false })]);
  const run = randomBytes(3).toString('hex');
  const mongoUri = withDatabase(mongoServer.uri, `warden_heap_${run}`);
  const [inst] = await startInstances([{ instanceId: 'heap-1', mongoUri, redisUrl: redisServer.url, redisPrefix: `heap_${run}:`, sweepIntervalMs: 5000, readyTimeoutMs: 60000,
    env: { TRUSTED_PROXY_HOPS: '1', NODE_OPTIONS: '--expose-gc --heapsnapshot-signal=SIGUSR2' } }]);
  const n1 = 500, n2 = Number(process.env.N2 ?? 2500);
  await seedMembers(mongoUri, Array.from({ length: Math.ceil(n2 / 4) }, (_, m) => `idle-${run}-${m}`));
  const snap = async (label: string) => {
    const before = new Set(readdirSync('/tmp/heap'));
    process.kill(inst!.pid, 'SIGUSR2');
    for (let i = 0; i < 120; i++) {
      await sleep(1000);
      const now = readdirSync('/work/main').filter((f) => f.endsWith('.heapsnapshot'));
      if (now.length) { let last = -1; for (;;) { await sleep(2000); const size = require('node:fs').statSync(`/work/main/${now[0]}`).size; if (size === last) break; last = size; } for (const f of now) require('node:fs').renameSync(`/work/main/${f}`, `/tmp/heap/${label}.heapsnapshot`); break; }
    }
    console.log('snap', label, before.size);
  };
  const a = await openIdleSockets({ urls: [inst!.url], run, sockets: n1, perMember: 4, concurrency: 32, onProgress() {} });
  await sleep(3000);
  await snap('a');
  const b = await openIdleSockets({ urls: [inst!.url], run: run, sockets: n2, perMember: 4, concurrency: 32, onProgress() {} });
  await sleep(3000);
  await snap('b');
  console.log('opened', a.perInstance, b.perInstance);
  await a.stop(); await b.stop();
  await stopAllInstances();
  await mongoServer.stop?.(); await redisServer.stop?.();
  process.exit(0);
}
void main();
