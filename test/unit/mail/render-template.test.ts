import { describe, expect, it } from 'vitest';
import { escapeHtml, renderTemplate, templatePlaceholders } from '@parley/api/mail/render-template.ts';

const data = {
  ticket: { number: '2026112210000012', title: 'Drucker <kaputt> & "laut"', state: 'open' },
  customer: { name: "O'Brien" },
  agent: { name: 'Ana' },
  queue: { name: 'IT' },
};

describe('renderTemplate', () => {
  it('fills placeholders in text without escaping', () => {
    const r = renderTemplate('Hello {{customer.name}}, ticket {{ ticket.number }} "{{ticket.title}}" is in {{queue.name}}.', data);
    expect(r).toEqual({ output: `Hello O'Brien, ticket 2026112210000012 "Drucker <kaputt> & "laut"" is in IT.`, unknown: [] });
  });

  it('escapes values (not the template) in HTML', () => {
    const r = renderTemplate('<p>{{ticket.title}} – {{customer.name}}</p>', data, 'html');
    expect(r.output).toBe('<p>Drucker &lt;kaputt&gt; &amp; &quot;laut&quot; – O&#39;Brien</p>');
  });

  it('leaves unknown placeholders empty and reports them once each', () => {
    const r = renderTemplate('{{ticket.owner}}|{{agent.name}}|{{ticket.owner}}|{{nope}}|{{ticket}}', data);
    expect(r.output).toBe('|Ana|||');
    expect(r.unknown).toEqual(['ticket.owner', 'nope', 'ticket']);
  });

  it('never reaches the prototype or evaluates anything', () => {
    const r = renderTemplate('{{constructor.name}}{{ticket.__proto__}}{{ticket.toString}}{{ticket.number.length}}', data);
    expect(r.output).toBe('');
    expect(r.unknown).toHaveLength(4);
    const odd = '{{ 1+1 }} {{a-b}} {{ticket.number()}} {{{ticket.number}}} ${ticket.number} <OTRS_TICKET_TicketNumber>';
    expect(renderTemplate(odd, data).output).toBe('{{ 1+1 }} {{a-b}} {{ticket.number()}} {2026112210000012} ${ticket.number} <OTRS_TICKET_TicketNumber>');
  });

  it('renders numbers, booleans, dates, null and undefined', () => {
    const r = renderTemplate('{{a}}/{{b}}/{{c}}/{{d}}/{{e}}', { a: 3, b: false, c: new Date('2026-11-22T10:00:00Z'), d: null, e: undefined });
    expect(r).toEqual({ output: '3/false/2026-11-22T10:00:00.000Z//', unknown: [] });
  });

  it('lists the placeholders a template uses', () => {
    expect(templatePlaceholders('{{ticket.number}} {{ customer.name }} {{ticket.number}}')).toEqual(['ticket.number', 'customer.name']);
  });

  it('escapes all five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
