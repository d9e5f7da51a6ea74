/**
 * The exact two-sided binomial test of k successes in n trials against p = 1/2 (as R's
 * binom.test): the probability of an outcome at least as unlikely as the one seen. With p = 1/2
 * the distribution is symmetric, so this is 2 P(X <= min(k, n - k)), capped at 1.
 */
export function binomialTestHalf(k: number, n: number): number {
  if (n === 0) return 1;
  const low = Math.min(k, n - k);
  if (2 * low === n) return 1;
  let tail = 0;
  for (let i = 0; i <= low; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const FACT_CACHE: number[] = [0];
function logFactorial(n: number): number {
  for (let i = FACT_CACHE.length; i <= n; i++) FACT_CACHE.push(FACT_CACHE[i - 1]! + Math.log(i));
  return FACT_CACHE[n]!;
}
