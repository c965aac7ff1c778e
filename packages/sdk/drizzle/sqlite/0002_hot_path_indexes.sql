DROP INDEX `gm_balances_rank_idx`;--> statement-breakpoint
DROP INDEX `gm_transfers_batch_idx`;--> statement-breakpoint
CREATE INDEX `gm_transfers_batch_idx` ON `gm_transfers` (`tenant_id`,`batch_id`) WHERE "gm_transfers"."batch_id" is not null;