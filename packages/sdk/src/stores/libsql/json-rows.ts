type JsonCell = string | bigint | number | boolean | null;

/**
 * Rows as JSON text for one `json_each(?)` parameter: a whole group read or written by one native call.
 * Integers stay exact (JSON.stringify refuses bigints; SQLite reads integer literals as 64-bit). Only
 * text that passed the ops' checks goes in: SQLite would decode a lone surrogate into bytes that are not
 * UTF-8, which the driver cannot read back. Read queries never return the JSON values, only table columns.
 */
export function jsonRows(rows: ReadonlyArray<readonly JsonCell[]>): string {
  let out = '[';
  for (let r = 0; r < rows.length; r++) {
    if (r > 0) out += ',';
    out += '[';
    const row = rows[r]!;
    for (let c = 0; c < row.length; c++) {
      if (c > 0) out += ',';
      const cell = row[c]!;
      if (typeof cell === 'string') out += JSON.stringify(cell);
      else if (cell === null) out += 'null';
      else if (typeof cell === 'boolean') out += cell ? '1' : '0';
      else out += String(cell);
    }
    out += ']';
  }
  return `${out}]`;
}
