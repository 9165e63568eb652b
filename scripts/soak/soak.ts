import { runSoak } from './run-soak';

/**
 * `npm run soak [-- --seconds N --operations N]`: the chaos soak (scripts/soak/run-soak.ts),
 * loopback only, bounded in time. Exits 1 unless every check holds.
 */
async function main(): Promise<void> {
  // A run that ends without its report (its event loop emptied) must not look like a pass.
  process.exitCode = 2;
  const argument = (name: string, fallback: number) => {
    const index = process.argv.indexOf(`--${name}`);
    const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
    return value;
  };
  const report = await runSoak({ durationMs: argument('seconds', 120) * 1_000, minOperations: argument('operations', 1_000) });
  process.exit(report.ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
