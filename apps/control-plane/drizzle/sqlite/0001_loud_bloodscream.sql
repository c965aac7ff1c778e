CREATE TABLE `cp_api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`mode` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`last_used_at` integer,
	`revoked_at` integer,
	`replaced_by` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `cp_tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cp_api_keys_prefix_unique` ON `cp_api_keys` (`prefix`);--> statement-breakpoint
CREATE UNIQUE INDEX `cp_api_keys_hash_unique` ON `cp_api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `cp_api_keys_tenant_idx` ON `cp_api_keys` (`tenant_id`);