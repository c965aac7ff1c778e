CREATE TABLE `cp_connect_accounts` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `cp_tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cp_connect_accounts_account_id_unique` ON `cp_connect_accounts` (`account_id`);--> statement-breakpoint
CREATE TABLE `cp_pack_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`member_id` text NOT NULL,
	`pack_id` text NOT NULL,
	`coins` text NOT NULL,
	`unit_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`account_id` text NOT NULL,
	`session_id` text,
	`payment_intent_id` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `cp_tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cp_pack_orders_session_id_unique` ON `cp_pack_orders` (`session_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `cp_pack_orders_payment_intent_id_unique` ON `cp_pack_orders` (`payment_intent_id`);--> statement-breakpoint
CREATE INDEX `cp_pack_orders_member_idx` ON `cp_pack_orders` (`tenant_id`,`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `cp_packs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`unit_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`coins` text NOT NULL,
	`per_member_per_day` integer NOT NULL,
	`created_at` integer NOT NULL,
	`archived_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `cp_tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `cp_packs_tenant_idx` ON `cp_packs` (`tenant_id`);