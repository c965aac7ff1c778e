import type { z } from 'zod';
import { reportRangeSchema } from '../../../analytics/range';

export const reportInput = reportRangeSchema;
export type ReportInput = z.output<typeof reportInput>;
