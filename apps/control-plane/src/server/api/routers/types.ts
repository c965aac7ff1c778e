/** What every handler receives: the tier's context, the parsed input, and the request's abort signal. */
export interface HandlerArgs<Ctx, Input = undefined> {
  ctx: Ctx;
  input: Input;
  /** Aborted when the client goes away: long work stops instead of finishing for nobody. */
  signal?: AbortSignal | undefined;
}
