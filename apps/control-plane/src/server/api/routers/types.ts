/** What every handler receives: the tier's context and the parsed input. */
export interface HandlerArgs<Ctx, Input = undefined> {
  ctx: Ctx;
  input: Input;
}
