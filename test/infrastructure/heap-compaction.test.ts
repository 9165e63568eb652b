import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface ChildReport {
  fragmented: { usedBytes: number; unusedBytes: number };
  compacted: { usedBytes: number; unusedBytes: number };
  actions: string[];
  kept: number;
}

async function fragmentAndWatch(cooldownMs: number, mode?: 'growing' | 'regrow'): Promise<ChildReport> {
  const child = resolve(__dirname, 'heap-compaction-child.ts');
  const args = ['--expose-gc', '--import', 'tsx', child, String(cooldownMs), ...(mode ? [mode] : [])];
  const { stdout } = await run(process.execPath, args, {
    cwd: resolve(__dirname, '../..'),
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
}

describe('heap compaction', () => {
  test('a fragmented old generation is compacted once at the next full collection, and not again within the cooldown', async () => {
    const report = await fragmentAndWatch(60_000);
    expect(report.kept).toBe(500_000);
    expect(report.actions).toEqual(['heap-compaction-armed', 'heap-compacted']);
    expect(report.fragmented.unusedBytes).toBeGreaterThan(4 * 1024 * 1024);
    // The pages the dead half left half empty are given back.
    expect(report.compacted.unusedBytes).toBeLessThan(report.fragmented.unusedBytes / 2);
  }, 90_000);

  test('without a cooldown the second fragmentation is armed for too: the silence above is the cooldown', async () => {
    const report = await fragmentAndWatch(0);
    expect(report.actions.slice(0, 3)).toEqual(['heap-compaction-armed', 'heap-compacted', 'heap-compaction-armed']);
  }, 90_000);

  test('a heap still changing (a storm of connections) is not compacted until it settles', async () => {
    const report = await fragmentAndWatch(60_000, 'growing');
    expect(report.actions[0]).toMatch(/^storm over/);
    expect(report.actions.slice(1, 3)).toEqual(['heap-compaction-armed', 'heap-compacted']);
  }, 90_000);

  test('within the cooldown, a heap that has grown by more than a quarter since it was compacted is compacted again', async () => {
    const report = await fragmentAndWatch(60_000, 'regrow');
    expect(report.kept).toBe(1_000_000);
    expect(report.actions).toEqual(['heap-compaction-armed', 'heap-compacted', 'heap-compaction-armed', 'heap-compacted']);
  }, 90_000);
});
