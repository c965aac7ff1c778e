CREATE TABLE "cp_webhook_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"url" text NOT NULL,
	"description" text NOT NULL,
	"event_types" text NOT NULL,
	"enabled" boolean NOT NULL,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_expires_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"failing_since" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"disabled_reason" text
);
--> statement-breakpoint
ALTER TABLE "cp_webhook_endpoints" ADD CONSTRAINT "cp_webhook_endpoints_tenant_id_cp_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."cp_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cp_webhook_endpoints_tenant_idx" ON "cp_webhook_endpoints" USING btree ("tenant_id");