import type { Clock } from '../../../lambdas/core/clock';

/** A clock that moves only when a test moves it. Starts at a fixed instant so answers are reproducible. */
export class FakeClock implements Clock {
  constructor(private millis = Date.UTC(2027, 0, 15, 12, 0, 0)) {}

  now(): number {
    return this.millis;
  }

  /** Epoch seconds, as the stores count. */
  get seconds(): number {
    return Math.floor(this.millis / 1000);
  }

  advanceSeconds(seconds: number): void {
    this.millis += seconds * 1000;
  }
}
