import pino from 'pino';

/** Structured logs; credentials and tokens are redacted wherever they appear. */
export function createLogger(level: string, name = 'api') {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.secret', '*.adminPassword', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}

export type Logger = ReturnType<typeof createLogger>;
