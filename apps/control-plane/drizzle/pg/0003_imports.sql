CREATE TABLE "cp_import_runs" (
	"tenant_id" text NOT NULL,
	"source" text NOT NULL,
	"ref" text NOT NULL,
	"status" text NOT NULL,
	"next_page" integer NOT NULL,
	"progress" text NOT NULL,
	"started_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cp_import_runs_pk" PRIMARY KEY("tenant_id","source","ref")
);
--> statement-breakpoint
ALTER TABLE "cp_import_runs" ADD CONSTRAINT "cp_import_runs_tenant_id_cp_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."cp_tenants"("id") ON DELETE cascade ON UPDATE no action;