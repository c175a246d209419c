import { CircuitBreaker } from '../../../lambdas/core/circuit-breaker';

describe('CircuitBreaker', () => {
  const clock = {
    at: 0,
    now() {
      return this.at;
    },
  };
  const breaker = () => new CircuitBreaker({ failuresToOpen: 2, openMs: 1000 }, clock);

  it('opens after the failures in a row, lets one trial through after the pause, and closes on its success', () => {
    clock.at = 0;
    const circuit = breaker();
    circuit.failed();
    expect(circuit.allow()).toBe(true);
    circuit.failed();
    expect(circuit.allow()).toBe(false);
    clock.at = 1001;
    expect(circuit.allow()).toBe(true);
    expect(circuit.allow()).toBe(false);
    circuit.succeeded();
    expect(circuit.allow()).toBe(true);
    expect(circuit.open).toBe(false);
  });

  it('opens again for a full pause when the trial fails', () => {
    clock.at = 0;
    const circuit = breaker();
    circuit.failed();
    circuit.failed();
    clock.at = 1500;
    expect(circuit.allow()).toBe(true);
    circuit.failed();
    expect(circuit.allow()).toBe(false);
    clock.at = 2499;
    expect(circuit.allow()).toBe(false);
    clock.at = 2501;
    expect(circuit.allow()).toBe(true);
  });

  it('forgets failures that a success interrupts', () => {
    clock.at = 0;
    const circuit = breaker();
    circuit.failed();
    circuit.succeeded();
    circuit.failed();
    expect(circuit.allow()).toBe(true);
  });
});
