ALTER TABLE "gm_balances" ADD COLUMN "has_bank" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- The marker of the members already there: every member with a bank row gets it on their wallet row. A bank
-- without a wallet row (written before the write path created the wallet row with the bank) gets an empty
-- wallet row that has never moved (active_at NULL), as the write path now writes it.
INSERT INTO gm_balances (tenant_id, account, slot, balance, version, has_bank)
SELECT DISTINCT tenant_id, substr(account, 1, length(account) - 5), 0, 0, 1, TRUE
FROM gm_balances
WHERE account LIKE 'user:%' AND substr(account, length(account) - 4) = '.bank'
ON CONFLICT (tenant_id, account, slot) DO UPDATE SET has_bank = TRUE;
