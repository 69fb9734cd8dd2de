// Reading form-encoded parameters the way Stripe does: every leaf is a string, nested keys are
// `a[b][0][c]`, and unknown or malformed values are rejected with Stripe's error codes.
import { invalidRequest, missingParam, unknownParam } from './errors.ts';

export type Params = Record<string, unknown>;

export function rejectUnknown(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (key === 'expand') continue;
    if (!allowed.includes(key)) throw unknownParam(key);
  }
}

export function str(params: Params, key: string, opts: { required?: boolean; param?: string } = {}): string | undefined {
  const name = opts.param ?? key;
  const value = params[key];
  if (value === undefined) {
    if (opts.required) throw missingParam(name);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(value)}`, { param: name });
  if (value === '' && opts.required) {
    throw invalidRequest(`You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`, { code: 'parameter_invalid_empty', param: name });
  }
  return value;
}

export function int(params: Params, key: string, opts: { required?: boolean; param?: string; min?: number } = {}): number | undefined {
  const name = opts.param ?? key;
  const raw = str(params, key, opts);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidRequest(`Invalid integer: ${raw}`, { code: 'parameter_invalid_integer', param: name });
  const n = Number(raw);
  if (opts.min !== undefined && n < opts.min) {
    throw invalidRequest(`This value must be greater than or equal to ${opts.min}.`, { param: name });
  }
  return n;
}

export function num(params: Params, key: string, opts: { param?: string } = {}): number | undefined {
  const name = opts.param ?? key;
  const raw = str(params, key);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) throw invalidRequest(`Invalid decimal: ${raw}`, { param: name });
  return n;
}

export function bool(params: Params, key: string, opts: { param?: string } = {}): boolean | undefined {
  const name = opts.param ?? key;
  const raw = str(params, key);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${raw}`, { param: name });
}

export function oneOf<T extends string>(params: Params, key: string, values: readonly T[], opts: { required?: boolean; param?: string } = {}): T | undefined {
  const name = opts.param ?? key;
  const raw = str(params, key, opts);
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    const list = values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}` : values[0];
    throw invalidRequest(`Invalid ${name}: must be one of ${list}`, { param: name });
  }
  return raw as T;
}

export function obj(params: Params, key: string, opts: { required?: boolean; param?: string } = {}): Params | undefined {
  const name = opts.param ?? key;
  const value = params[key];
  if (value === undefined || value === '') {
    if (opts.required) throw missingParam(name);
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest(`Invalid object`, { param: name });
  }
  return value as Params;
}

/** Arrays arrive as `a[0]=..&a[1]=..`; qs turns them into arrays (or objects past its array limit). */
export function arr(params: Params, key: string, opts: { required?: boolean; param?: string } = {}): unknown[] | undefined {
  const name = opts.param ?? key;
  const value = params[key];
  if (value === undefined || value === '') {
    if (opts.required) throw missingParam(name);
    return undefined;
  }
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return Object.values(value);
  throw invalidRequest(`Invalid array`, { param: name });
}

/** `metadata[k]=v`; an empty string unsets a key (on update), `metadata=` clears it all. */
export function metadata(params: Params, current: Record<string, string> = {}): Record<string, string> {
  const value = params.metadata;
  if (value === undefined) return current;
  if (value === '') return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest('Invalid hash', { param: 'metadata' });
  const next = { ...current };
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalidRequest('Invalid hash', { param: `metadata[${k}]` });
    if (k.length > 40) throw invalidRequest(`Metadata keys can have up to 40 characters; '${k}' has ${k.length}.`, { param: `metadata[${k}]` });
    if (v === '') delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > 50) throw invalidRequest('Metadata can have up to 50 keys.', { param: 'metadata' });
  return next;
}

export function expandList(params: Params): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'object' && value !== null) return Object.values(value).map(String);
  return [];
}
