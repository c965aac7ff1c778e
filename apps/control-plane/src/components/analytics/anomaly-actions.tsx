'use client';

import { useState } from 'react';
import { AdminAction } from '../admin/admin-action';
import { Button } from '../ui/button';

/** Freeze or roll back a flagged member in one click, through the members' own admin dialog (audited). */
export function AnomalyActions({ tenantId, userId }: { tenantId: string; userId: string }) {
  const [action, setAction] = useState<'freeze' | 'rollback' | null>(null);
  return (
    <span className="inline-flex gap-2 print:hidden">
      <Button size="sm" variant="secondary" onClick={() => setAction('freeze')}>
        Freeze {userId}
      </Button>
      <Button size="sm" variant="danger" onClick={() => setAction('rollback')}>
        Roll back {userId}
      </Button>
      {action ? (
        <AdminAction kind={action} tenantId={tenantId} userId={userId} onClose={() => setAction(null)} />
      ) : null}
    </span>
  );
}
