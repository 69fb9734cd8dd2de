// Stripe's error envelope: {error: {type, code, message, param, doc_url, ...}} with an HTTP status.
export type StripeErrorType =
  | 'invalid_request_error'
  | 'card_error'
  | 'idempotency_error'
  | 'api_error';

export class FakeStripeError extends Error {
  readonly status: number;
  readonly type: StripeErrorType;
  readonly code: string | undefined;
  readonly param: string | undefined;
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    type: StripeErrorType,
    message: string,
    opts: { code?: string; param?: string; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = opts.code;
    this.param = opts.param;
    this.extra = opts.extra ?? {};
  }

  toBody(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { type: this.type, message: this.message };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, '-')}`;
    }
    if (this.param) error.param = this.param;
    Object.assign(error, this.extra);
    return { error };
  }
}

export function invalidRequest(message: string, opts: { code?: string; param?: string } = {}): FakeStripeError {
  return new FakeStripeError(400, 'invalid_request_error', message, opts);
}

export function missingParam(param: string): FakeStripeError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function unknownParam(param: string): FakeStripeError {
  return invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
}

/** `No such customer: 'cus_x'` — 404 when the object is the URL's subject, 400 when it is a parameter. */
export function noSuch(noun: string, id: string, param = 'id'): FakeStripeError {
  return new FakeStripeError(param === 'id' ? 404 : 400, 'invalid_request_error', `No such ${noun}: '${id}'`, {
    code: 'resource_missing',
    param,
  });
}

export function cardDeclined(extra: Record<string, unknown> = {}): FakeStripeError {
  return new FakeStripeError(402, 'card_error', 'Your card was declined.', {
    code: 'card_declined',
    extra: { decline_code: 'generic_decline', ...extra },
  });
}
