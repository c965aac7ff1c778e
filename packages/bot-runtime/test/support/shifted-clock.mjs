// Loaded with `node --import` into a bot process under test: shifts the process's clock forward by
// TEST_CLOCK_SHIFT_MS, so a bot restarted "minutes later" can be tested without waiting minutes. Only
// wall-clock reads (Date.now(), new Date()) move; timers run at the real pace.
const shift = Number(process.env.TEST_CLOCK_SHIFT_MS ?? 0);
if (Number.isSafeInteger(shift) && shift !== 0) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + shift);
      else super(...args);
    }
    static now() {
      return RealDate.now() + shift;
    }
  }
  globalThis.Date = ShiftedDate;
}
