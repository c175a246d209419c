import { FirstOccurrences } from '../../../../local/users/first-occurrences';

describe('FirstOccurrences', () => {
  it('records the first line of an email and answers it for every later line', () => {
    // Prepare
    const seen = new FirstOccurrences();
    // Act
    const first = seen.claim('a@example.com', 3);
    const again = seen.claim('a@example.com', 9);
    const other = seen.claim('b@example.com', 10);
    // Assess
    expect([first, again, other]).toEqual([undefined, 3, undefined]);
    expect(seen.claim('b@example.com', 11)).toBe(10);
    expect(seen.size).toBe(2);
  });

  it('keeps every first line while it grows past its initial size', () => {
    // Prepare
    const seen = new FirstOccurrences();
    const count = 200_000;
    // Act
    const repeats = [];
    for (let line = 1; line <= count; line += 1) if (seen.claim(`user-${line}@example.com`, line) !== undefined) repeats.push(line);
    // Assess
    expect(repeats).toEqual([]);
    for (let line = 1; line <= count; line += 997) expect(seen.claim(`user-${line}@example.com`, count + line)).toBe(line);
    expect(seen.size).toBe(count);
  });

  it('refuses a line number it cannot store', () => {
    expect(() => new FirstOccurrences().claim('a@example.com', 0)).toThrow(RangeError);
  });
});
