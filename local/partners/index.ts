/**
 * Partners the local stack can stand in for. When a partner has no
 * credentials in the environment, `npm start` (and the tests) start its
 * simulator from `local/simulators/` and point the handlers at it.
 */
export interface RunningPartner {
  /** Environment variables for the handlers (base URL, client id, secret of the simulator). */
  env: Record<string, string>;
  /** One line for the start banner, e.g. "Astrato simulator on http://127.0.0.1:4001". */
  describe: string;
  stop(): Promise<void>;
}

export interface LocalPartner {
  name: string;
  /** True when the environment already configures the real partner (or another instance). */
  configured(env: NodeJS.ProcessEnv): boolean;
  start(): Promise<RunningPartner>;
}

/** Each partner issue adds its entry here. */
export const LOCAL_PARTNERS: LocalPartner[] = [];
