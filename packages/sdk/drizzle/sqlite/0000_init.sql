CREATE TABLE `gm_balances` (
	`tenant_id` text NOT NULL,
	`account` text NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`balance` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`frozen` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `account`, `slot`)
);
--> statement-breakpoint
CREATE TABLE `gm_transfers` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`seq` integer NOT NULL,
	`batch_id` text,
	`from_account` text NOT NULL,
	`to_account` text NOT NULL,
	`amount` integer NOT NULL,
	`code` text NOT NULL,
	`metadata` text,
	`reverses` text,
	`forced` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	CONSTRAINT "gm_transfers_amount_positive" CHECK("gm_transfers"."amount" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gm_transfers_seq_idx` ON `gm_transfers` (`tenant_id`,`seq`);--> statement-breakpoint
CREATE INDEX `gm_transfers_from_idx` ON `gm_transfers` (`tenant_id`,`from_account`,`seq`);--> statement-breakpoint
CREATE INDEX `gm_transfers_to_idx` ON `gm_transfers` (`tenant_id`,`to_account`,`seq`);--> statement-breakpoint
CREATE INDEX `gm_transfers_batch_idx` ON `gm_transfers` (`tenant_id`,`batch_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `gm_transfers_reverses_idx` ON `gm_transfers` (`tenant_id`,`reverses`) WHERE "gm_transfers"."reverses" is not null;