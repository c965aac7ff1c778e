CREATE TABLE "cp_api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"mode" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"scopes" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"replaced_by" text,
	CONSTRAINT "cp_api_keys_prefix_unique" UNIQUE("prefix"),
	CONSTRAINT "cp_api_keys_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
ALTER TABLE "cp_api_keys" ADD CONSTRAINT "cp_api_keys_tenant_id_cp_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."cp_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cp_api_keys_tenant_idx" ON "cp_api_keys" USING btree ("tenant_id");