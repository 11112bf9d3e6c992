import { describe, expect, it } from 'vitest';
import { ExecBudget } from './exec-budget';

function budgetAt(options: { burst: number; perSecond: number; maxServicePorts: number }) {
  let now = 1_000_000;
  const budget = new ExecBudget({ ...options, now: () => now });
  return { budget, advance: (ms: number) => (now += ms) };
}

describe('ExecBudget', () => {
  it('allows a burst, then refuses with 429 RATE_LIMITED until time gives operations back', () => {
    const { budget, advance } = budgetAt({ burst: 3, perSecond: 2, maxServicePorts: 4 });
    for (let i = 0; i < 3; i++) budget.spend('s1');
    expect(() => budget.spend('s1')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED', status: 429 }));
    expect(() => budget.spend('s1')).toThrow(/wait 1 s/);
    advance(500);
    budget.spend('s1');
    expect(() => budget.spend('s1')).toThrow(/Too many file operations/);
    advance(10_000);
    for (let i = 0; i < 3; i++) budget.spend('s1');
    expect(() => budget.spend('s1')).toThrow();
  });

  it('keeps each session to its own budget', () => {
    const { budget } = budgetAt({ burst: 2, perSecond: 1, maxServicePorts: 4 });
    budget.spend('s1');
    budget.spend('s1');
    expect(() => budget.spend('s1')).toThrow();
    budget.spend('s2');
  });

  it('caps the distinct service ports of a session; a port in use costs nothing more', () => {
    const { budget } = budgetAt({ burst: 100, perSecond: 1, maxServicePorts: 2 });
    budget.useServicePort('s1', 5000);
    budget.useServicePort('s1', 5100);
    for (let i = 0; i < 500; i++) budget.useServicePort('s1', 5000);
    expect(() => budget.useServicePort('s1', 8000)).toThrow(/already serves 2 ports/);
    budget.useServicePort('s2', 8000);
    budget.forget('s1');
    budget.useServicePort('s1', 8000);
  });
});
