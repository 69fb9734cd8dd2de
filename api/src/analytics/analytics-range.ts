import { ForbiddenError, ValidationError } from '../errors/app-error.ts';
import type { TenantViewer } from '../auth/viewer.ts';

export const GROUP_BY = ['NONE', 'QUEUE', 'AGENT', 'TYPE', 'COMPANY'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface Range { from: Date; to: Date }

/** Partners (API keys) and administrators read analytics; other agents and customers do not. */
export function requireAnalyticsReader(viewer: TenantViewer) {
  if (viewer.kind !== 'agent' || !(viewer.isAdmin || viewer.apiKey)) throw new ForbiddenError('Analytics are for administrators and partner API keys');
}

export function checkRange(r: Range) {
  if (!(r.from < r.to)) throw new ValidationError('from must be before to', 'from');
  if (r.to.getTime() - r.from.getTime() > 3 * 366 * 86_400_000) throw new ValidationError('The range may span at most three years', 'to');
}
