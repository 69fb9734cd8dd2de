import type en from './en.ts';

export type MessageKey = keyof typeof en;
/** A plural table keyed by Intl.PluralRules categories; `other` is required. */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;
/** Every locale defines exactly the English keys. */
export type Messages = { [K in MessageKey]: Message };
export type Params = Record<string, string | number | null | undefined>;
