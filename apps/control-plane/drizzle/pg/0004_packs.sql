CREATE TABLE "cp_connect_accounts" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cp_connect_accounts_account_id_unique" UNIQUE("account_id")
);
--> statement-breakpoint
CREATE TABLE "cp_pack_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"pack_id" text NOT NULL,
	"coins" text NOT NULL,
	"unit_amount" integer NOT NULL,
	"currency" text NOT NULL,
	"account_id" text NOT NULL,
	"session_id" text,
	"payment_intent_id" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cp_pack_orders_session_id_unique" UNIQUE("session_id"),
	CONSTRAINT "cp_pack_orders_payment_intent_id_unique" UNIQUE("payment_intent_id")
);
--> statement-breakpoint
CREATE TABLE "cp_packs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"unit_amount" integer NOT NULL,
	"currency" text NOT NULL,
	"coins" text NOT NULL,
	"per_member_per_day" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cp_connect_accounts" ADD CONSTRAINT "cp_connect_accounts_tenant_id_cp_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."cp_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cp_pack_orders" ADD CONSTRAINT "cp_pack_orders_tenant_id_cp_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."cp_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cp_packs" ADD CONSTRAINT "cp_packs_tenant_id_cp_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."cp_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cp_pack_orders_member_idx" ON "cp_pack_orders" USING btree ("tenant_id","member_id","created_at");--> statement-breakpoint
CREATE INDEX "cp_packs_tenant_idx" ON "cp_packs" USING btree ("tenant_id");