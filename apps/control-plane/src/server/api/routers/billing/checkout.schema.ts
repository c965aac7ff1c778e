import { z } from 'zod';
import { PAID_PLANS, type PaidPlan } from '../../../billing/prices';

export const checkoutInput = z.object({ plan: z.enum(PAID_PLANS as [PaidPlan, ...PaidPlan[]]) });
export type CheckoutInput = z.infer<typeof checkoutInput>;
