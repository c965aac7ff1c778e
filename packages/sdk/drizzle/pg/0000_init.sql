CREATE TABLE "gm_balances" (
	"tenant_id" text NOT NULL,
	"account" text NOT NULL,
	"slot" smallint DEFAULT 0 NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"frozen" boolean DEFAULT false NOT NULL,
	CONSTRAINT "gm_balances_pk" PRIMARY KEY("tenant_id","account","slot")
);
--> statement-breakpoint
CREATE TABLE "gm_transfers" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "gm_transfers_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"batch_id" text,
	"from_account" text NOT NULL,
	"to_account" text NOT NULL,
	"amount" bigint NOT NULL,
	"code" text NOT NULL,
	"metadata" text,
	"reverses" text,
	"forced" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gm_transfers_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gm_transfers_amount_positive" CHECK ("gm_transfers"."amount" > 0)
);
--> statement-breakpoint
CREATE INDEX "gm_transfers_seq_idx" ON "gm_transfers" USING btree ("tenant_id","seq");--> statement-breakpoint
CREATE INDEX "gm_transfers_from_idx" ON "gm_transfers" USING btree ("tenant_id","from_account","seq");--> statement-breakpoint
CREATE INDEX "gm_transfers_to_idx" ON "gm_transfers" USING btree ("tenant_id","to_account","seq");--> statement-breakpoint
CREATE INDEX "gm_transfers_batch_idx" ON "gm_transfers" USING btree ("tenant_id","batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "gm_transfers_reverses_idx" ON "gm_transfers" USING btree ("tenant_id","reverses") WHERE "gm_transfers"."reverses" is not null;