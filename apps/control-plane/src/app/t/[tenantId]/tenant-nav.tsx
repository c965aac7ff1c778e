'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const TABS = [
  { segment: 'economy', label: 'Economy' },
  { segment: 'versions', label: 'Versions' },
  { segment: 'members', label: 'Members' },
  { segment: 'audit', label: 'Audit log' },
  { segment: 'analytics', label: 'Analytics' },
  { segment: 'billing', label: 'Billing' },
  { segment: 'developers', label: 'Developers' },
  { segment: 'import', label: 'Import' },
] as const;

export function TenantNav({ tenantId }: { tenantId: string }) {
  // Never null in the App Router; typed so because the app also has Pages Router API routes.
  const pathname = usePathname() ?? '';
  return (
    <nav aria-label="Economy sections" className="border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {TABS.map((tab) => {
          const href = `/t/${tenantId}/${tab.segment}`;
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={tab.segment}>
              <Link
                href={href}
                aria-current={active ? 'page' : undefined}
                className={`inline-block border-b-2 px-3 py-2 text-sm font-medium ${
                  active
                    ? 'border-brand-600 text-brand-700 dark:text-brand-300'
                    : 'border-transparent text-slate-700 hover:border-slate-300 dark:text-slate-300'
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
