/**
 * Runs a bench as the process's main work. The servers a bench starts are unref'd (they
 * must never keep Node alive by themselves), so a wait that only they could end would let
 * Node run out of handles and stop with code 0, mid-run and without a word (seen in
 * `npm run bench` after the moderation log). Here the loop is held open until the work is
 * done, and an end before that is reported and made a failure.
 */
export function runAsMain(name: string, work: () => Promise<number>): void {
  let finished = false;
  const hold = setInterval(() => undefined, 60_000);
  process.on('exit', () => {
    if (finished) return;
    console.error(`${name}: the process ended before the bench finished`);
    process.exitCode = 1;
  });
  const finish = (code: number) => {
    finished = true;
    clearInterval(hold);
    process.exit(code);
  };
  work().then(finish, (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    finish(1);
  });
}
