import { readScopes } from './scopes';
import type { ApiKeyRecord } from './store';

/** A row of either dialect's cp_api_keys (the same columns) as a record, and back. */
export type ApiKeyRow = Omit<ApiKeyRecord, 'scopes'> & { scopes: string };

export const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({ ...row, scopes: readScopes(row.scopes) });
export const toRow = (record: ApiKeyRecord): ApiKeyRow => ({ ...record, scopes: record.scopes.join(',') });
