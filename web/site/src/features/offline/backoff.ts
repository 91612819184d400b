const FIRST_DELAY_MS = 2_000;
const LONGEST_DELAY_MS = 5 * 60_000;

/**
 * How long to wait before the n-th retry (n ≥ 1): doubling from 2 s up to 5 min, with up to a
 * quarter more at random so that phones coming back online together do not retry in step.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1), LONGEST_DELAY_MS);
  return Math.round(base * (1 + random() / 4));
}
