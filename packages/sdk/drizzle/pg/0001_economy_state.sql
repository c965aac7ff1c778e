CREATE TABLE "gm_audit" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "gm_audit_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"reason" text,
	"details" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gm_audit_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "gm_configs" (
	"tenant_id" text NOT NULL,
	"version" bigint NOT NULL,
	"config" text NOT NULL,
	"actor" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gm_configs_pk" PRIMARY KEY("tenant_id","version")
);
--> statement-breakpoint
CREATE TABLE "gm_flows" (
	"tenant_id" text NOT NULL,
	"day" text NOT NULL,
	"account" text NOT NULL,
	"slot" smallint DEFAULT 0 NOT NULL,
	"credit" bigint DEFAULT 0 NOT NULL,
	"debit" bigint DEFAULT 0 NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "gm_flows_pk" PRIMARY KEY("tenant_id","day","account","slot")
);
--> statement-breakpoint
CREATE TABLE "gm_state" (
	"tenant_id" text NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL,
	"json" text,
	"version" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gm_state_pk" PRIMARY KEY("tenant_id","scope","key")
);
--> statement-breakpoint
ALTER TABLE "gm_balances" ADD COLUMN "active_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "gm_audit_seq_idx" ON "gm_audit" USING btree ("tenant_id","seq");--> statement-breakpoint
CREATE INDEX "gm_balances_rank_idx" ON "gm_balances" USING btree ("tenant_id","balance");