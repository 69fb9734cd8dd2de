import { getContext, setContext } from 'svelte';
import {
	formatBytes,
	formatDateTime,
	formatNumber,
	formatRelative,
	translate,
	type Locale,
	type MessageKey,
	type Params
} from './index.ts';

export interface I18n {
	readonly locale: Locale;
	t(key: MessageKey, params?: Params): string;
	date(value: string | Date | null | undefined): string;
	relative(value: string | Date | null | undefined): string;
	number(value: number): string;
	bytes(value: number): string;
}

const KEY = Symbol('i18n');

/** Called once by the root layout; `getLocale` reads reactive page data so switching re-renders. */
export function provideI18n(getLocale: () => Locale): I18n {
	const i18n: I18n = {
		get locale() {
			return getLocale();
		},
		t: (key, params) => translate(getLocale(), key, params),
		date: (value) => formatDateTime(getLocale(), value),
		relative: (value) => formatRelative(getLocale(), value),
		number: (value) => formatNumber(getLocale(), value),
		bytes: (value) => formatBytes(getLocale(), value)
	};
	setContext(KEY, i18n);
	return i18n;
}

export function useI18n(): I18n {
	const i18n = getContext<I18n | undefined>(KEY);
	if (!i18n) throw new Error('useI18n() called outside the root layout');
	return i18n;
}
