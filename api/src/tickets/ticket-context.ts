import type { RatingLinkOptions } from '../ratings/rating-links.ts';
import type { Db } from '@parley/db';
import type { RequestMeta } from '../auth/login.ts';
import type { TenantViewer } from '../auth/viewer.ts';
import type { EventSink } from '../events/ticket-event.ts';
import type { AttachmentContext } from '../attachments/bind-uploads.ts';

/** What every ticket use case receives: the app database, who acts, and request facts. */
export interface UseCaseContext {
  db: Db;
  viewer: TenantViewer;
  meta?: RequestMeta;
  /** Where ticket events go after commit (absent: not published). */
  events?: EventSink;
  /** Injectable clock for tests. */
  now?: () => Date;
  /** The mail channel: the mail domain, and a hook told after commit about new outbox rows (enqueues sending). */
  mail?: MailContext;
  /** Uploads attached to new articles (attachmentIds); absent: ATTACHMENT_MAX_FILES' default and no mail bytes. */
  attachments?: AttachmentContext;
}

export interface MailContext {
  domain: string;
  /** Where one-click rating links in reply mail point, and how long they live */
  ratingLinks?: RatingLinkOptions;
  outgoingRecorded(tenantId: string, outgoingMailIds: string[]): Promise<void>;
}

export const clock = (ctx: UseCaseContext) => (ctx.now ? ctx.now() : new Date());
