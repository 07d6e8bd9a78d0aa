/** What `npm run bench` was asked for: runs per figure and the loads, scaled down by --quick. */
export interface BenchOptions {
  runs: number;
  quick: boolean;
  /** Skip `tsx scripts/build.ts` (the dist/ outputs must already exist). */
  build: boolean;
  /** Requests per throughput run, for the gateway and for the hello server. */
  throughputRequests: number;
  /** Concurrent clients for throughput and the mixed load. */
  concurrency: number;
  /** Requests per mixed-load run. */
  mixedRequests: number;
  /** Open/close cycles of the modal per heap run. */
  modalCycles: number;
}

/** The usage line printed for --help and after a bad argument. */
export const USAGE = 'usage: npm run bench -- [--runs N] [--quick] [--no-build]';

/** Reads the command line; throws an Error that names the bad argument. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let runs: number | undefined;
  let quick = false;
  let build = true;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--quick') quick = true;
    else if (arg === '--no-build') build = false;
    else if (arg === '--runs' || arg.startsWith('--runs=')) {
      const text = arg === '--runs' ? argv[++index] : arg.slice('--runs='.length);
      const value = Number(text);
      if (!Number.isInteger(value) || value < 1 || value > 101) {
        throw new Error(`--runs must be a whole number 1-101 (got ${JSON.stringify(text ?? null)})`);
      }
      runs = value;
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return {
    runs: runs ?? (quick ? 3 : 7),
    quick,
    build,
    throughputRequests: quick ? 1_000 : 5_000,
    concurrency: 200,
    mixedRequests: quick ? 2_000 : 10_000,
    modalCycles: quick ? 300 : 1_000,
  };
}
