CREATE TABLE "gm_outbox" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"payload" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"dispatched_at" timestamp with time zone,
	CONSTRAINT "gm_outbox_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "gm_webhook_attempts" (
	"tenant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"attempt" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status" bigint,
	"duration_ms" bigint NOT NULL,
	"error" text,
	CONSTRAINT "gm_webhook_attempts_pk" PRIMARY KEY("tenant_id","event_id","endpoint_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "gm_webhook_deliveries" (
	"tenant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"step" bigint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"last_status" bigint,
	"last_duration_ms" bigint,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gm_webhook_deliveries_pk" PRIMARY KEY("tenant_id","event_id","endpoint_id")
);
--> statement-breakpoint
CREATE INDEX "gm_outbox_pending_idx" ON "gm_outbox" USING btree ("dispatched_at","created_at");--> statement-breakpoint
CREATE INDEX "gm_webhook_deliveries_due_idx" ON "gm_webhook_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "gm_webhook_deliveries_endpoint_idx" ON "gm_webhook_deliveries" USING btree ("tenant_id","endpoint_id","created_at");