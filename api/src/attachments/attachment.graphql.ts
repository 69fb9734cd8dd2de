import { builder } from '../graphql/builder.ts';
import { ErrorInterface } from '../graphql/error-types.ts';
import { AttachmentUnusableError } from './attachment-errors.ts';

/**
 * Files are uploaded and downloaded over plain HTTP (POST /attachments, GET /attachments/:id; see
 * attachments/README.md); GraphQL only takes the upload ids (`attachmentIds` of createTicket and
 * addArticle) and lists an article's attachments (Article.attachments).
 */
const UnusableReasonEnum = builder.enumType('AttachmentUnusableReason', {
  values: { NOT_FOUND: { description: 'Unknown, another account\'s, or expired' }, ALREADY_USED: { description: 'Attached to another article already' } } as const,
});

export const AttachmentUnusableErrorType = builder.objectType(AttachmentUnusableError, {
  name: 'AttachmentUnusableError',
  description: 'An attachment id that cannot be attached: upload the file again',
  interfaces: [ErrorInterface as never],
  isTypeOf: (v) => v instanceof AttachmentUnusableError,
  fields: (t) => ({
    attachmentId: t.exposeID('attachmentId'),
    reason: t.field({ type: UnusableReasonEnum, resolve: (e) => e.reason }),
  }),
});
