import type en from './en.ts';
import type { AreaKey } from './areas/index.ts';

export type CoreKey = keyof typeof en;
export type MessageKey = CoreKey | AreaKey;
/** A plural table keyed by Intl.PluralRules categories; `other` is required. */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;
/** Every locale defines exactly the English core keys (areas are checked by defineArea). */
export type Messages = { [K in CoreKey]: Message };
export type Params = Record<string, string | number | null | undefined>;
