/**
 * Counts failed console sign-ins per app and address, in this gateway's memory: after MAX_FAILURES within
 * WINDOW_MS the pair is refused until the window has passed since its last failure. Behind a load balancer each
 * gateway counts on its own, so an attacker gets at most MAX_FAILURES tries per gateway per window.
 */
export interface SignInThrottle {
  /** Milliseconds until `key` may try again, or 0 when it may now. */
  waitFor(key: string, now: number): number;
  /** Counts a failure of `key`. */
  failed(key: string, now: number): void;
  /** Forgets `key`'s failures (it signed in). */
  succeeded(key: string): void;
}

/** Failures allowed within the window: 5. */
export const MAX_FAILURES = 5;
/** The window, and how long a throttled pair waits after its last failure: 15 minutes. */
export const WINDOW_MS = 15 * 60 * 1000;
const KEYS_KEPT = 10_000;

/** A SignInThrottle in memory, bounded to the 10,000 most recent keys. */
export function createSignInThrottle(max = MAX_FAILURES, windowMs = WINDOW_MS): SignInThrottle {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number): number[] => (failures.get(key) ?? []).filter((at) => now - at < windowMs);
  return {
    waitFor(key, now) {
      const times = recent(key, now);
      if (times.length < max) return 0;
      return windowMs - (now - (times[times.length - 1] as number));
    },
    failed(key, now) {
      const times = [...recent(key, now), now].slice(-max);
      failures.delete(key);
      failures.set(key, times);
      if (failures.size > KEYS_KEPT) failures.delete(failures.keys().next().value as string);
    },
    succeeded(key) {
      failures.delete(key);
    },
  };
}
