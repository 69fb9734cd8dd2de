import { describe, expect, it } from 'vitest';
import * as mail from '@parley/api/mail/index.ts';

describe('mail core barrel', () => {
  it('exports the pipeline entry points', () => {
    for (const name of ['parseMail', 'classifyMail', 'sanitizeMailHtml', 'extractTicketNumbers', 'referencedMessageIds', 'cleanSubject', 'subjectWithTicketNumber', 'decideAutoResponse', 'composeMail', 'generateMessageId', 'renderTemplate', 'isOwnOutgoingMail']) {
      expect(typeof (mail as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(new mail.MailParseError('EMPTY', 'x').code).toBe('EMPTY');
  });
});
