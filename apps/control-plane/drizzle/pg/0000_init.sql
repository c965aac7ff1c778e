CREATE TABLE "cp_accounts" (
	"user_id" text NOT NULL,
	"type" text NOT NULL,
	"provider" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"refresh_token" text,
	"access_token" text,
	"expires_at" integer,
	"token_type" text,
	"scope" text,
	"id_token" text,
	"session_state" text,
	CONSTRAINT "cp_accounts_provider_provider_account_id_pk" PRIMARY KEY("provider","provider_account_id")
);
--> statement-breakpoint
CREATE TABLE "cp_sessions" (
	"session_token" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cp_tenant_admins" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cp_tenant_admins_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "cp_tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"name" text NOT NULL,
	"owner_user_id" text,
	"preset" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cp_tenants_guild_id_unique" UNIQUE("guild_id")
);
--> statement-breakpoint
CREATE TABLE "cp_users" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"email" text,
	"email_verified" timestamp with time zone,
	"image" text,
	CONSTRAINT "cp_users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "cp_verification_tokens" (
	"identifier" text NOT NULL,
	"token" text NOT NULL,
	"expires" timestamp with time zone NOT NULL,
	CONSTRAINT "cp_verification_tokens_identifier_token_pk" PRIMARY KEY("identifier","token")
);
--> statement-breakpoint
ALTER TABLE "cp_accounts" ADD CONSTRAINT "cp_accounts_user_id_cp_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."cp_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cp_sessions" ADD CONSTRAINT "cp_sessions_user_id_cp_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."cp_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cp_tenant_admins" ADD CONSTRAINT "cp_tenant_admins_tenant_id_cp_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."cp_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cp_tenant_admins" ADD CONSTRAINT "cp_tenant_admins_user_id_cp_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."cp_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cp_tenants" ADD CONSTRAINT "cp_tenants_owner_user_id_cp_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."cp_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cp_accounts_user_idx" ON "cp_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "cp_tenant_admins_user_idx" ON "cp_tenant_admins" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "cp_tenants_owner_idx" ON "cp_tenants" USING btree ("owner_user_id");