'use client';

import { createContext, type ReactNode, useContext } from 'react';
import type { CurrencyDisplay } from '../../../lib/money';

export interface TenantInfo {
  tenantId: string;
  name: string;
  currency: CurrencyDisplay;
}

const TenantContext = createContext<TenantInfo | null>(null);

export function TenantProvider({ value, children }: { value: TenantInfo; children: ReactNode }) {
  return <TenantContext.Provider value={value}>{children}</TenantContext.Provider>;
}

/** The economy the page is about (set by the /t/[tenantId] layout). */
export function useTenant(): TenantInfo {
  const tenant = useContext(TenantContext);
  if (!tenant) throw new Error('useTenant outside a tenant page');
  return tenant;
}
