// Dates as documents print them: China Standard Time whatever the server's zone (DOMAIN.md §0).

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

function cst(instant: Date): Date {
  return new Date(instant.getTime() + CST_OFFSET_MS);
}

/** 2024-05-06T16:30:00Z → "2024年5月7日" (the calendar day in UTC+8). */
export function chinaDateText(instant: Date): string {
  const d = cst(instant);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** 2024-05-06T01:30:00Z → "2024年5月6日 09:30". */
export function chinaDateTimeText(instant: Date): string {
  const d = cst(instant);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${chinaDateText(instant)} ${hh}:${mm}`;
}
