import { describe, expect, it } from 'vitest';
import { windowDeadline } from '../../cli/time-window.js';

describe('time window', () => {
  const evening = new Date(2026, 11, 1, 22, 0, 0);

  it('takes --until as the next such time of day: 06:00 at 22:00 is tomorrow morning', () => {
    expect(windowDeadline({ until: '06:00' }, evening)).toEqual(new Date(2026, 11, 2, 6, 0, 0));
    expect(windowDeadline({ until: '23:30:15' }, evening)).toEqual(new Date(2026, 11, 1, 23, 30, 15));
  });

  it('takes --max-minutes from now, and the earlier of the two when both are given', () => {
    expect(windowDeadline({ maxMinutes: 90 }, evening)).toEqual(new Date(2026, 11, 1, 23, 30, 0));
    expect(windowDeadline({ until: '23:00', maxMinutes: 90 }, evening)).toEqual(new Date(2026, 11, 1, 23, 0, 0));
    expect(windowDeadline({}, evening)).toBeNull();
  });

  it('refuses what is not a time of day or a duration, as a usage error', () => {
    for (const until of ['6', '25:00', '06:60', 'seis horas']) expect(() => windowDeadline({ until }, evening)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => windowDeadline({ maxMinutes: -5 }, evening)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
