CREATE TABLE "gm_member_profiles" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"search" text NOT NULL,
	"avatar" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gm_member_profiles_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "gm_rollups" (
	"tenant_id" text NOT NULL,
	"bucket" bigint NOT NULL,
	"metric" text NOT NULL,
	"key" text NOT NULL,
	"slot" smallint DEFAULT 0 NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "gm_rollups_pk" PRIMARY KEY("tenant_id","bucket","metric","key","slot")
);
