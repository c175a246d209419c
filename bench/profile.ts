/**
 * An optional V8 CPU profile of the server's main thread (BENCH_PROFILE=1):
 * where the event loop's time goes during a run, grouped by package or
 * source file, so "is the server CPU-bound on JSON, zod, jose or the SDK?"
 * has an answer. argon2 runs natively on libuv's threads and is not in it.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** node_modules/<package>, lambdas/<file>, node:<internal> or V8's own buckets. */
function owner(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  const local = /\/(lambdas|local|bench)\/(.+)$/.exec(url);
  if (local) return `${local[1]}/${local[2]}`;
  if (url.startsWith('node:')) return url;
  return url;
}

export interface ProfileSummary {
  file: string;
  /** Share of the profiled time per owner, largest first. */
  top: { owner: string; percent: number }[];
}

export async function startProfile(): Promise<{ stop: (file: string) => Promise<ProfileSummary> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      const time = new Map<string, number>();
      let total = 0;
      profile.samples.forEach((id, index) => {
        const delta = profile.timeDeltas[index] ?? 0;
        const node = byId.get(id);
        if (!node) return;
        const key = owner(node);
        time.set(key, (time.get(key) ?? 0) + delta);
        total += delta;
      });
      const top = [...time.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([key, value]) => ({ owner: key, percent: Math.round((1000 * value) / total) / 10 }));
      return { file, top };
    },
  };
}
