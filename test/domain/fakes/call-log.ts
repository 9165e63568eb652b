/** One ordered log shared by all fakes of a test, so the order of port calls can be asserted. */
export class CallLog {
  readonly entries: string[] = [];

  add(entry: string): void {
    this.entries.push(entry);
  }

  /** Entries whose name (the part before the first space) is one of `names`. */
  named(...names: string[]): string[] {
    return this.entries.filter((entry) => names.includes(entry.split(' ')[0] ?? ''));
  }

  clear(): void {
    this.entries.length = 0;
  }
}
