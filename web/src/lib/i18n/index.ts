import en from './en.ts';
import de from './de.ts';
import ru from './ru.ts';
import ro from './ro.ts';
import { areaMessages } from './areas/index.ts';
import type { Message, MessageKey, Params } from './types.ts';

export type { MessageKey, Params } from './types.ts';

export const LOCALES = ['en', 'de', 'ru', 'ro'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Names shown in the language switcher, each in its own language. */
export const LOCALE_NAMES: Record<Locale, string> = {
	en: 'English',
	de: 'Deutsch',
	ru: 'Русский',
	ro: 'Română'
};

const catalogues: Record<Locale, Partial<Record<MessageKey, Message>>> = {
	en: { ...en, ...areaMessages.en },
	de: { ...de, ...areaMessages.de },
	ru: { ...ru, ...areaMessages.ru },
	ro: { ...ro, ...areaMessages.ro }
};

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Maps `de-AT`, `ru_RU`, `RO` to a supported locale, or null. */
export function normalizeLocale(value: string | null | undefined): Locale | null {
	if (!value) return null;
	const base = value.trim().toLowerCase().split(/[-_]/)[0];
	return isLocale(base) ? base : null;
}

/** Best supported locale from an Accept-Language header, honouring q-values. */
export function fromAcceptLanguage(header: string | null | undefined): Locale | null {
	if (!header) return null;
	const ranked = header
		.split(',')
		.map((part) => {
			const [tag, ...rest] = part.trim().split(';');
			const q = rest.find((p) => p.trim().startsWith('q='));
			return { tag, q: q ? Number(q.trim().slice(2)) : 1 };
		})
		.filter((x) => x.tag && !Number.isNaN(x.q))
		.sort((a, b) => b.q - a.q);
	for (const { tag } of ranked) {
		const locale = normalizeLocale(tag);
		if (locale) return locale;
	}
	return null;
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

function pick(locale: Locale, message: Message, params?: Params): string {
	if (typeof message === 'string') return message;
	const count = Number(params?.count ?? 0);
	let rules = pluralRules.get(locale);
	if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
	return message[rules.select(count)] ?? message.other;
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
	const message = catalogues[locale][key] ?? catalogues.en[key] ?? key;
	const text = pick(locale, message, params);
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = params[name];
		if (value === undefined || value === null) return whole;
		return typeof value === 'number' ? formatNumber(locale, value) : value;
	});
}

export function formatNumber(locale: Locale, value: number): string {
	return new Intl.NumberFormat(locale).format(value);
}

export function formatDateTime(locale: Locale, value: string | Date | null | undefined): string {
	if (!value) return '';
	const date = typeof value === 'string' ? new Date(value) : value;
	if (Number.isNaN(date.getTime())) return '';
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "5 min ago", "yesterday", "in 2 days" — falls back to the absolute date after a week. */
export function formatRelative(locale: Locale, value: string | Date | null | undefined, now = new Date()): string {
	if (!value) return '';
	const date = typeof value === 'string' ? new Date(value) : value;
	if (Number.isNaN(date.getTime())) return '';
	const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
	const abs = Math.abs(seconds);
	const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
	if (abs < 60) return rtf.format(seconds, 'second');
	if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
	if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
	if (abs < 7 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}

export function formatBytes(locale: Locale, bytes: number): string {
	const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
	let value = bytes;
	let i = 0;
	while (value >= 1024 && i < units.length - 1) {
		value /= 1024;
		i++;
	}
	return new Intl.NumberFormat(locale, { style: 'unit', unit: units[i], maximumFractionDigits: 1 }).format(value);
}
