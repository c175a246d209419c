/**
 * CPU accounting from /proc (Linux): which process, and which of the server's
 * threads, spent the machine's two cores during a run. It tells a CPU-bound
 * event loop (JSON, zod, jose, SDK marshalling on the main thread) apart from
 * argon2 (libuv's threadpool) and from DynamoDB Local (Java), which on this
 * machine shares the cores with the server it serves.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: /proc reports CPU time in ticks of 1/100 s on Linux. */
const TICKS_PER_SECOND = 100;

function ticks(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Busy ticks of the whole machine, all cores, any process (from /proc/stat). */
function machineTicks(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return user + nice + system + irq + softirq + steal;
}

/** The pids of processes whose parent is `parent` and whose command is `command`. */
export function childPids(parent: number, command: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && name === command) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

export interface CpuSample {
  at: number;
  /** Seconds of CPU per process label; for the server also split into its main thread and the rest. */
  seconds: Record<string, number>;
}

export interface CpuWatch {
  sample(): CpuSample;
}

/**
 * `processes`: label -> pid. The server (this process) is reported as
 * `server main thread` (the event loop) and `server other threads` (libuv's
 * threadpool, where argon2 runs, plus V8's GC helpers).
 */
export function watchCpu(processes: Record<string, number | undefined>): CpuWatch {
  return {
    sample: () => {
      const seconds: Record<string, number> = {};
      const total = ticks(`/proc/${process.pid}/stat`);
      const main = ticks(`/proc/${process.pid}/task/${process.pid}/stat`);
      seconds['server main thread'] = main / TICKS_PER_SECOND;
      seconds['server other threads'] = (total - main) / TICKS_PER_SECOND;
      let ours = total;
      for (const [label, pid] of Object.entries(processes)) {
        if (!pid) continue;
        const used = ticks(`/proc/${pid}/stat`);
        seconds[label] = used / TICKS_PER_SECOND;
        ours += used;
      }
      // Whatever else ran meanwhile (other people's builds and tests on a shared machine): the noise in this sample.
      seconds['other processes'] = (machineTicks() - ours) / TICKS_PER_SECOND;
      return { at: performance.now(), seconds };
    },
  };
}

export interface CpuUse {
  /** Share of one core each used over the interval (1 = a whole core). */
  cores: Record<string, number>;
  /** CPU milliseconds each spent per completed operation. */
  msPerOperation: Record<string, number>;
}

export function cpuBetween(before: CpuSample, after: CpuSample, operations: number): CpuUse {
  const elapsed = (after.at - before.at) / 1000;
  const cores: Record<string, number> = {};
  const msPerOperation: Record<string, number> = {};
  for (const label of Object.keys(after.seconds)) {
    const used = after.seconds[label] - (before.seconds[label] ?? 0);
    cores[label] = used / elapsed;
    msPerOperation[label] = operations ? (used * 1000) / operations : Number.NaN;
  }
  return { cores, msPerOperation };
}
