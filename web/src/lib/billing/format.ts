// Display helpers for billing pages (amounts are integers in the smallest currency unit).
import type { EntryKind } from '#lib/graphql/billing.ts';
import type { MessageKey } from '#lib/i18n/index.ts';

export function money(locale: string, cents: number | null | undefined, currency: string | null | undefined): string {
	if (cents == null) return '—';
	try {
		return new Intl.NumberFormat(locale, { style: 'currency', currency: (currency || 'eur').toUpperCase() }).format(cents / 100);
	} catch {
		return `${(cents / 100).toFixed(2)} ${(currency || '').toUpperCase()}`;
	}
}

export const ENTRY_KIND_KEYS: Record<EntryKind, MessageKey> = {
	GRANT_PURCHASE: 'billing.entry.GRANT_PURCHASE',
	GRANT_MANUAL: 'billing.entry.GRANT_MANUAL',
	GRANT_REGISTRATION: 'billing.entry.GRANT_REGISTRATION',
	CONSUME: 'billing.entry.CONSUME',
	REFUND: 'billing.entry.REFUND',
	EXPIRE: 'billing.entry.EXPIRE',
	PER_REQUEST_CHARGE: 'billing.entry.PER_REQUEST_CHARGE'
};

export const PLAN_MODE_KEYS: Record<string, MessageKey> = {
	FREE: 'billing.mode.FREE',
	PER_REQUEST: 'billing.mode.PER_REQUEST',
	PREPAID: 'billing.mode.PREPAID'
};

/** "+3" / "−1" / "0" for a ledger delta. */
export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
