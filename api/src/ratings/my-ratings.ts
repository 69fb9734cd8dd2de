import { withTenant, type Db, type RatingModel } from '@parley/db';
import { ForbiddenError } from '../errors/app-error.ts';
import { checkRange } from '../analytics/analytics-range.ts';
import type { TenantViewer } from '../auth/viewer.ts';

export interface MyRatings {
  count: number;
  average: number | null;
  /** counts of scores 1..5 */
  distribution: number[];
  /** Newest ratings with a comment */
  recentComments: RatingModel[];
}

/**
 * "My ratings" of an agent: their replies' and owned tickets' ratings (Rating.agentUserId) over
 * an optional range — average, distribution and the latest comments. Only for a signed-in agent
 * (an API key acts for no one in particular).
 */
export async function myRatings(db: Db, viewer: TenantViewer, range: { from?: Date | null; to?: Date | null }, comments = 10): Promise<MyRatings> {
  if (viewer.kind !== 'agent' || viewer.apiKey) throw new ForbiddenError('My ratings are for signed-in agents');
  const from = range.from ?? new Date(0);
  const to = range.to ?? new Date(Date.now() + 60_000);
  if (range.from || range.to) checkRange({ from, to });
  const where = { agentUserId: viewer.userId, createdAt: { gte: from, lt: to } };
  return withTenant(db, viewer.tenantId, async (tx) => {
    const [groups, recentComments] = await Promise.all([
      tx.rating.groupBy({ by: ['score'], where, _count: { _all: true } }),
      tx.rating.findMany({ where: { ...where, comment: { not: null } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: Math.min(Math.max(comments, 1), 50) }),
    ]);
    const distribution = [1, 2, 3, 4, 5].map((s) => groups.find((g) => g.score === s)?._count._all ?? 0);
    const count = distribution.reduce((a, b) => a + b, 0);
    const average = count ? Math.round((distribution.reduce((sum, n, i) => sum + n * (i + 1), 0) / count) * 100) / 100 : null;
    return { count, average, distribution, recentComments: recentComments.filter((r) => r.comment && r.comment.trim() !== '') };
  });
}
