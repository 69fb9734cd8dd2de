import { describe, expect, it } from 'vitest';
import { cleanSubject, extractTicketNumbers, referencedMessageIds, subjectWithTicketNumber } from '@parley/api/mail/thread-hints.ts';

const HOOK = 'Ticket#';
const N = '2026112210000012';

describe('extractTicketNumbers', () => {
  it.each([
    [`[Ticket#${N}] Printer`, [N]],
    [`Re: AW: Fwd: [Ticket#${N}] Printer`, [N]],
    [`RE: Ticket#${N} printer broken`, [N]],
    [`Ticket# ${N}`, [N]],
    [`Ticket#: ${N} - printer`, [N]],
    [`[ticket#${N}] lowercase hook`, [N]],
    [`Ответ: [Ticket#${N}] Принтер`, [N]],
    [`[Ticket#${N}] and [Ticket#2026112210000013] merged`, [N, '2026112210000013']],
    [`[Ticket#${N}] twice Ticket#${N}`, [N]],
    ['Order 2026112210000012 without hook', []],
    ['Ticket#12 too short', []],
    ['', []],
  ])('%s', (subject, expected) => {
    expect(extractTicketNumbers(subject, HOOK)).toEqual(expected);
  });

  it('supports other hooks and injected number patterns', () => {
    expect(extractTicketNumbers('Re: [Request#123456] x', 'Request#')).toEqual(['123456']);
    expect(extractTicketNumbers('[Ticket#2026112210000012] x', { hook: 'Ticket#', numberPattern: /\d{16}/ })).toEqual([N]);
    const sup = { hook: '', numberPattern: /SUP-\d+/ };
    expect(extractTicketNumbers('Re: [SUP-1042] Login broken', sup)).toEqual(['SUP-1042']);
    expect(extractTicketNumbers('AW: SUP-1042 login, see also SUP-7', sup)).toEqual(['SUP-1042', 'SUP-7']);
    expect(extractTicketNumbers('SUPER-1042 and XSUP-7', sup)).toEqual([]);
  });

  it('treats regex characters in the hook literally', () => {
    expect(extractTicketNumbers('[T.#(1)123456] x', 'T.#(1)')).toEqual(['123456']);
    expect(extractTicketNumbers('[TX#(1)123456] x', 'T.#(1)')).toEqual([]);
  });
});

describe('cleanSubject', () => {
  it.each([
    [`[Ticket#${N}] Printer`, 'Printer'],
    [`Re: AW: Fwd: [Ticket#${N}] Printer`, 'Printer'],
    [`[Ticket#${N}] Re: AW: Printer`, 'Printer'],
    [`RE: Ticket#${N} Printer broken`, 'Printer broken'],
    [`Ticket#: ${N} - Printer`, 'Printer'],
    ['WG: FW: Fw: Printer', 'Printer'],
    ['Re[2]: Re(3): Re^4: Printer', 'Printer'],
    ['Ответ: Отв: Пересл: Принтер', 'Принтер'],
    ['Răspuns: Re: Imprimanta', 'Imprimanta'],
    ['Antw: SV: VS: TR: Printer', 'Printer'],
    ['RE : Printer', 'Printer'],
    ['Printer: Re: error', 'Printer: Re: error'],
    ['Reminder: meeting', 'Reminder: meeting'],
    ['  lots   of   space  ', 'lots of space'],
  ])('%s → %s', (subject, expected) => {
    expect(cleanSubject(subject, HOOK)).toBe(expected);
  });

  it('strips prefix+counter numbers with an empty hook', () => {
    expect(cleanSubject('Re: [SUP-1042] Login broken', { hook: '', numberPattern: /SUP-\d+/ })).toBe('Login broken');
  });
});

describe('subjectWithTicketNumber', () => {
  it('puts the hook first, with an optional prefix, and never doubles anything', () => {
    expect(subjectWithTicketNumber('Printer', HOOK, N)).toBe(`[Ticket#${N}] Printer`);
    expect(subjectWithTicketNumber('Printer', HOOK, N, { prefix: 'Re' })).toBe(`[Ticket#${N}] Re: Printer`);
    expect(subjectWithTicketNumber(`Re: AW: [Ticket#${N}] Re: Printer`, HOOK, N, { prefix: 'Re:' })).toBe(`[Ticket#${N}] Re: Printer`);
    const once = subjectWithTicketNumber('Fwd: Printer', HOOK, N, { prefix: 'Re' });
    expect(subjectWithTicketNumber(once, HOOK, N, { prefix: 'Re' })).toBe(once);
    expect(subjectWithTicketNumber('Login', { hook: '', numberPattern: /SUP-\d+/ }, 'SUP-1042')).toBe('[SUP-1042] Login');
    expect(subjectWithTicketNumber('', HOOK, N)).toBe(`[Ticket#${N}]`);
  });
});

describe('referencedMessageIds', () => {
  it('puts In-Reply-To first, then References newest to oldest, without duplicates or self', () => {
    expect(
      referencedMessageIds({
        messageId: '<self@x>',
        inReplyTo: '<c@x>',
        references: ['<a@x>', '<b@x>', '<c@x>', '<self@x>'],
      }),
    ).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(referencedMessageIds({ messageId: '<m@x>', inReplyTo: null, references: [] })).toEqual([]);
  });
});
