CREATE TABLE `cp_import_runs` (
	`tenant_id` text NOT NULL,
	`source` text NOT NULL,
	`ref` text NOT NULL,
	`status` text NOT NULL,
	`next_page` integer NOT NULL,
	`progress` text NOT NULL,
	`started_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `source`, `ref`),
	FOREIGN KEY (`tenant_id`) REFERENCES `cp_tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
