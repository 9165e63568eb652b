import { runSoak } from '../../scripts/soak/run-soak';

function requireEnvUri(): string {
  const uri = process.env.WARDEN_TEST_MONGO_URI;
  if (!uri) throw new Error('WARDEN_TEST_MONGO_URI is unset: run through jest (global setup)');
  return uri;
}

// The shortened chaos soak of `npm run soak` (scripts/soak): about a minute of operations
// on three instances while one is SIGKILLed and restarted and Redis is stopped and
// restarted, then the settle phase. Fewer operations than the full run's 1,000: the
// machine this runs on is shared, and the checks, not the count, are the point here.
jest.setTimeout(360_000);

test('three instances under chaos: no blocked member keeps a socket, no history entry or webhook is lost, standings agree', async () => {
  const lines: string[] = [];
  // The run's shared store (a second server of its own doubles the load); Redis is its own.
  const report = await runSoak({
    durationMs: 35_000,
    minOperations: 150,
    mongoServerUri: requireEnvUri(),
    log: (line) => lines.push(line),
  });
  if (!report.ok) console.log(lines.join('\n'));
  // The whole report on failure: which check, which member.
  expect({ ok: report.ok, violations: report.violations }).toEqual({
    ok: true,
    violations: { openSocketsOfBlocked: [], historyLost: [], historyDuplicated: [], webhooksLost: [], standingMismatch: [] },
  });
  expect(report.operations).toBeGreaterThanOrEqual(150);
  expect(report.chaos.some((event) => event.includes('SIGKILL'))).toBe(true);
  expect(report.chaos.some((event) => event.includes('Redis stopped'))).toBe(true);
  // Restrictions and lifts ran, not only blocks.
  expect(report.byOperation.restrict?.ok).toBeGreaterThan(0);
  expect(report.byOperation.lift?.ok).toBeGreaterThan(0);
  console.log(lines.slice(-18).join("\n"));
});
