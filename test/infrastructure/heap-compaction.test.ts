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

describe('heap compaction', () => {
  test('a fragmented old generation is compacted once at the next full collection, then V8 decides again', async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', resolve(__dirname, 'heap-compaction-child.ts')], {
      cwd: resolve(__dirname, '../..'),
      timeout: 60_000,
    });
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
    expect(report.kept).toBe(500_000);
    expect(report.actions).toEqual(['heap-compaction-armed', 'heap-compacted']);
    expect(report.fragmented.unusedBytes).toBeGreaterThan(4 * 1024 * 1024);
    // The pages the dead half left half empty are given back.
    expect(report.compacted.unusedBytes).toBeLessThan(report.fragmented.unusedBytes / 2);
  }, 90_000);
});
