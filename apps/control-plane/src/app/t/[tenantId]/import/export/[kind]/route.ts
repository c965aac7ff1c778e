import { createContext } from '../../../../../../server/context';
import { handleExport } from '../../../../../../server/import/export-route';

// Streamed from the store on every request: never cached, never pre-rendered.
export const dynamic = 'force-dynamic';

/** `GET /t/<tenant>/import/export/balances` or `…/history`: a CSV download for the guild's owner. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ tenantId: string; kind: string }> },
) {
  const { tenantId, kind } = await params;
  return handleExport(await createContext(), tenantId, kind);
}
