CREATE TABLE `gm_outbox` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`lease_until` integer,
	`dispatched_at` integer,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `gm_outbox_pending_idx` ON `gm_outbox` (`dispatched_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `gm_webhook_attempts` (
	`tenant_id` text NOT NULL,
	`event_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`at` integer NOT NULL,
	`status` integer,
	`duration_ms` integer NOT NULL,
	`error` text,
	PRIMARY KEY(`tenant_id`, `event_id`, `endpoint_id`, `attempt`)
);
--> statement-breakpoint
CREATE TABLE `gm_webhook_deliveries` (
	`tenant_id` text NOT NULL,
	`event_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_attempt_at` integer,
	`last_status` integer,
	`last_duration_ms` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `event_id`, `endpoint_id`)
);
--> statement-breakpoint
CREATE INDEX `gm_webhook_deliveries_due_idx` ON `gm_webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `gm_webhook_deliveries_endpoint_idx` ON `gm_webhook_deliveries` (`tenant_id`,`endpoint_id`,`created_at`);