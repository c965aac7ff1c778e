import type { Tenant } from '@guildmint/sdk';

/** Rows read per store call: an export holds one page in memory, never the guild. */
const PAGE = 1000;

export const BALANCES_HEADER = 'user_id,wallet,bank,total';
export const HISTORY_HEADER = 'id,created_at,from,to,amount,code,batch_id,reverses';

/** Every member's wallet, bank and total, by id, as CSV lines (each ending in a newline). */
export async function* balancesCsv(tenant: Tenant): AsyncGenerator<string> {
  yield `${BALANCES_HEADER}\n`;
  for (let after = ''; ; ) {
    const page = await tenant.memberBalances({ after, limit: PAGE });
    if (page.length > 0) {
      yield page.map((m) => `${m.userId},${m.wallet},${m.bank},${m.wallet + m.bank}\n`).join('');
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.userId;
  }
}

/**
 * A text field as CSV holds it: quoted when it has a comma, quote or line break (transfer ids may), and
 * kept from being read as a formula by a spreadsheet when it starts like one.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The ledger's transfers, newest first, as CSV lines (metadata left out: it is free-form JSON). */
export async function* historyCsv(tenant: Tenant): AsyncGenerator<string> {
  yield `${HISTORY_HEADER}\n`;
  for (let cursor: string | undefined; ; ) {
    const page = await tenant.ledger.transfers({ limit: PAGE, ...(cursor !== undefined && { cursor }) });
    if (page.items.length > 0) {
      yield page.items
        .map(
          (t) =>
            `${csvField(t.id)},${t.createdAt.toISOString()},${t.from},${t.to},${t.amount},${csvField(t.code)},${csvField(t.batchId ?? '')},${csvField(t.reverses ?? '')}\n`,
        )
        .join('');
    }
    if (!page.next) return;
    cursor = page.next;
  }
}

/** A CSV download that streams as it is read. */
export function csvResponse(lines: AsyncGenerator<string>, filename: string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await lines.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}
