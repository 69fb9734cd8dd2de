export * from './business-calendar.ts';
export * from './errors.ts';
export * from './select-sla.ts';
export * from './sla-clock.ts';
export * from './sla-policy.ts';
