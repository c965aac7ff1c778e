-- The holdings histogram (rollup metric 'holdings', see holdingBucket in src/ledger/rollups.ts) of the
-- members already there, so an upgraded database needs no rebuild for it: per tenant and bucket, the members
-- (wallet and bank together) whose wallet or bank has moved, and their holdings summed. Buckets: a holding
-- below 0 is -1, below 256 itself, else shift * 128 + (holding >> shift) with shift = floor(log2(holding)) - 7.
INSERT INTO gm_rollups (tenant_id, bucket, metric, key, slot, amount, count)
SELECT tenant_id, bucket, 'holdings', '', 0, SUM(holding), COUNT(*)
FROM (
  SELECT tenant_id, holding,
    CASE WHEN holding < 0 THEN -1 WHEN holding < 256 THEN holding ELSE shift * 128 + (holding >> shift) END AS bucket
  FROM (
    SELECT tenant_id, holding, 1 +
      CASE WHEN holding >= 512 THEN 1 ELSE 0 END + CASE WHEN holding >= 1024 THEN 1 ELSE 0 END + CASE WHEN holding >= 2048 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 4096 THEN 1 ELSE 0 END + CASE WHEN holding >= 8192 THEN 1 ELSE 0 END + CASE WHEN holding >= 16384 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 32768 THEN 1 ELSE 0 END + CASE WHEN holding >= 65536 THEN 1 ELSE 0 END + CASE WHEN holding >= 131072 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 262144 THEN 1 ELSE 0 END + CASE WHEN holding >= 524288 THEN 1 ELSE 0 END + CASE WHEN holding >= 1048576 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 2097152 THEN 1 ELSE 0 END + CASE WHEN holding >= 4194304 THEN 1 ELSE 0 END + CASE WHEN holding >= 8388608 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 16777216 THEN 1 ELSE 0 END + CASE WHEN holding >= 33554432 THEN 1 ELSE 0 END + CASE WHEN holding >= 67108864 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 134217728 THEN 1 ELSE 0 END + CASE WHEN holding >= 268435456 THEN 1 ELSE 0 END + CASE WHEN holding >= 536870912 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 1073741824 THEN 1 ELSE 0 END + CASE WHEN holding >= 2147483648 THEN 1 ELSE 0 END + CASE WHEN holding >= 4294967296 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 8589934592 THEN 1 ELSE 0 END + CASE WHEN holding >= 17179869184 THEN 1 ELSE 0 END + CASE WHEN holding >= 34359738368 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 68719476736 THEN 1 ELSE 0 END + CASE WHEN holding >= 137438953472 THEN 1 ELSE 0 END + CASE WHEN holding >= 274877906944 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 549755813888 THEN 1 ELSE 0 END + CASE WHEN holding >= 1099511627776 THEN 1 ELSE 0 END + CASE WHEN holding >= 2199023255552 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 4398046511104 THEN 1 ELSE 0 END + CASE WHEN holding >= 8796093022208 THEN 1 ELSE 0 END + CASE WHEN holding >= 17592186044416 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 35184372088832 THEN 1 ELSE 0 END + CASE WHEN holding >= 70368744177664 THEN 1 ELSE 0 END + CASE WHEN holding >= 140737488355328 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 281474976710656 THEN 1 ELSE 0 END + CASE WHEN holding >= 562949953421312 THEN 1 ELSE 0 END + CASE WHEN holding >= 1125899906842624 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 2251799813685248 THEN 1 ELSE 0 END + CASE WHEN holding >= 4503599627370496 THEN 1 ELSE 0 END + CASE WHEN holding >= 9007199254740992 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 18014398509481984 THEN 1 ELSE 0 END + CASE WHEN holding >= 36028797018963968 THEN 1 ELSE 0 END + CASE WHEN holding >= 72057594037927936 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 144115188075855872 THEN 1 ELSE 0 END + CASE WHEN holding >= 288230376151711744 THEN 1 ELSE 0 END + CASE WHEN holding >= 576460752303423488 THEN 1 ELSE 0 END +
      CASE WHEN holding >= 1152921504606846976 THEN 1 ELSE 0 END + CASE WHEN holding >= 2305843009213693952 THEN 1 ELSE 0 END + CASE WHEN holding >= 4611686018427387904 THEN 1 ELSE 0 END AS shift
    FROM (
      SELECT tenant_id,
        CASE WHEN account LIKE '%.bank' THEN substr(account, 1, length(account) - 5) ELSE account END AS wallet,
        CAST(SUM(balance) AS BIGINT) AS holding
      FROM gm_balances WHERE account LIKE 'user:%'
      GROUP BY 1, 2 HAVING MAX(active_at) IS NOT NULL
    ) members
  ) shifted
) bucketed
GROUP BY tenant_id, bucket;
