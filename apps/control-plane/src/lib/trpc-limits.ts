/** Calls the browser may put in one tRPC batch; the server refuses bigger batches (400). */
export const TRPC_MAX_BATCH = 10;
