CREATE TABLE `gm_member_profiles` (
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`search` text NOT NULL,
	`avatar` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `gm_rollups` (
	`tenant_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`metric` text NOT NULL,
	`key` text NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `bucket`, `metric`, `key`, `slot`)
);
