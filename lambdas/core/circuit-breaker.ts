import type { Clock } from './clock';

export interface CircuitBreakerSettings {
  /** Consecutive failures that open the circuit. */
  failuresToOpen: number;
  /** How long an open circuit refuses calls before letting one through to test the service. */
  openMs: number;
}

/**
 * Stops calling a service that keeps failing: after `failuresToOpen` failures
 * in a row, calls are refused for `openMs`; then one trial call decides
 * whether it closes again. Per instance (a Lambda container), on purpose: no
 * shared state to read on the sign-in path.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialRunning = false;

  constructor(
    private readonly settings: CircuitBreakerSettings,
    private readonly clock: Clock,
  ) {}

  /** True when a call may go out now (and, when half-open, claims the one trial). */
  allow(): boolean {
    if (this.failures < this.settings.failuresToOpen) return true;
    if (this.clock.now() < this.openUntil || this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.trialRunning = false;
  }

  failed(): void {
    this.failures += 1;
    this.trialRunning = false;
    if (this.failures >= this.settings.failuresToOpen) this.openUntil = this.clock.now() + this.settings.openMs;
  }

  get open(): boolean {
    return this.failures >= this.settings.failuresToOpen && this.clock.now() < this.openUntil;
  }
}
