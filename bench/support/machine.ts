import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export function machineDescription(): string {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // not Linux
  }
  return `${model.trim()}, ${cpus().length} cores, Node ${process.version}, ${process.platform}/${process.arch}`;
}

export function loadAverage(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

/** The soft open-files limit of this process (what `ulimit -n` shows in its shell). */
export function openFilesLimit(): string {
  try {
    const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line ? `${line[1]} (hard ${line[2]})` : 'unknown';
  } catch {
    return 'unknown';
  }
}
