import type { TenantTx } from '@parley/db';
import type { ApiConfig } from '../config.ts';
import { newToken, sha256 } from '../auth/secrets.ts';
import { NotFoundError, ValidationError } from '../errors/app-error.ts';

export interface RatingLinkOptions {
  /** The web app's base URL (config.publicWebUrl); default PUBLIC_WEB_URL or http://localhost:3000 */
  baseUrl?: string;
  ttlDays?: number;
  now?: Date;
}

/** The options from the configuration: `createRatingLink(tx, id, ratingLinkOptions(services.config))`. */
export const ratingLinkOptions = (config: ApiConfig): RatingLinkOptions => ({ baseUrl: config.publicWebUrl, ttlDays: config.RATING_LINK_TTL_DAYS });

export interface RatingLink {
  token: string;
  /** The rating page of this reply (no login): `${baseUrl}/rate/${token}` */
  url: string;
  /** One-click links, one per score the tenant's scale offers (5..1, or good = 5 / bad = 1) */
  scoreUrls: Array<{ score: number; label: string; url: string }>;
  expiresAt: Date;
}

/**
 * A single-use, expiring rating link for an agent reply, for the reply mail (called by the mail
 * pipeline inside its transaction). The token is 256 random bits; only its SHA-256 is stored, so
 * a database leak reveals no usable link. It is spent by `rateByToken`.
 */
export async function createRatingLink(tx: TenantTx, articleId: string, options: RatingLinkOptions = {}): Promise<RatingLink> {
  const article = await tx.article.findFirst({ where: { id: articleId }, select: { id: true, tenantId: true, senderType: true, visibleToCustomer: true } });
  if (!article) throw new NotFoundError('Article');
  if (article.senderType !== 'AGENT' || !article.visibleToCustomer) throw new ValidationError('Only agent replies the customer sees can be rated', 'articleId');
  const settings = await tx.billingSettings.findFirst({ select: { ratingScale: true } });
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (options.ttlDays ?? 30) * 86_400_000);
  const token = newToken('rt');
  await tx.ratingToken.create({ data: { tenantId: article.tenantId, articleId, tokenHash: sha256(token), expiresAt, createdAt: now } });
  const base = (options.baseUrl ?? process.env.PUBLIC_WEB_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  const url = `${base}/rate/${token}`;
  const scores = settings?.ratingScale === 'GOOD_BAD'
    ? [{ score: 5, label: 'good' }, { score: 1, label: 'bad' }]
    : [5, 4, 3, 2, 1].map((score) => ({ score, label: `${score}/5` }));
  return { token, url, scoreUrls: scores.map((s) => ({ ...s, url: `${url}?score=${s.score}` })), expiresAt };
}
