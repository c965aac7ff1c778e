CREATE TABLE `gm_audit` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`seq` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`reason` text,
	`details` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gm_audit_seq_idx` ON `gm_audit` (`tenant_id`,`seq`);--> statement-breakpoint
CREATE TABLE `gm_configs` (
	`tenant_id` text NOT NULL,
	`version` integer NOT NULL,
	`config` text NOT NULL,
	`actor` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `gm_flows` (
	`tenant_id` text NOT NULL,
	`day` text NOT NULL,
	`account` text NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`credit` integer DEFAULT 0 NOT NULL,
	`debit` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `day`, `account`, `slot`)
);
--> statement-breakpoint
CREATE TABLE `gm_state` (
	`tenant_id` text NOT NULL,
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`value` integer DEFAULT 0 NOT NULL,
	`json` text,
	`version` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `scope`, `key`)
);
--> statement-breakpoint
ALTER TABLE `gm_balances` ADD `active_at` integer;--> statement-breakpoint
CREATE INDEX `gm_balances_rank_idx` ON `gm_balances` (`tenant_id`,`balance`);