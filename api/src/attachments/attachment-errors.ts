import { AppError, ErrorCode } from '../errors/app-error.ts';

export type UnusableReason = 'NOT_FOUND' | 'ALREADY_USED';

/**
 * An attachment id given to addArticle/createTicket that cannot be attached: unknown (another
 * tenant's, another account's, or purged after its time to live) or attached to an article already.
 */
export class AttachmentUnusableError extends AppError {
  readonly attachmentId: string;
  readonly reason: UnusableReason;
  constructor(attachmentId: string, reason: UnusableReason) {
    super(ErrorCode.ATTACHMENT_UNUSABLE, reason === 'ALREADY_USED'
      ? `The upload ${attachmentId} is attached to another message already; upload the file again`
      : `The upload ${attachmentId} does not exist or has expired; upload the file again`);
    this.attachmentId = attachmentId;
    this.reason = reason;
  }
}

/** An upload over a configured limit (HTTP 413). */
export class PayloadTooLargeError extends AppError {
  readonly limit: 'file' | 'request' | 'count';
  /** The limit's value: bytes, or files for 'count' */
  readonly max: number;
  constructor(limit: 'file' | 'request' | 'count', max: number, message: string) {
    super(ErrorCode.PAYLOAD_TOO_LARGE, message);
    this.limit = limit;
    this.max = max;
  }
}
