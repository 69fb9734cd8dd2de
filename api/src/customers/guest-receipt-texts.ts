// The built-in receipt for a guest ticket (used when the queue has no NEW_TICKET auto-response),
// in the language the guest wrote in: the portal page's, else the customer's saved one, else the
// tenant's default, else English. Placeholders are the auto-response template's ({{…}}).
import type { MailLocale } from './account-mail-texts.ts';

type Text = { subject: string; body: string };

const RECEIPTS: Record<MailLocale, Text> = {
  en: {
    subject: 'We received your request: {{ticket.title}}',
    body: 'Hello {{customer.name}},\n\nthank you for contacting {{tenant.name}}. Your request "{{ticket.title}}" was filed as ticket {{ticket.number}}. Reply to this mail to add anything; keep the ticket number in the subject.',
  },
  de: {
    subject: 'Wir haben Ihre Anfrage erhalten: {{ticket.title}}',
    body: 'Hallo {{customer.name}},\n\nvielen Dank für Ihre Nachricht an {{tenant.name}}. Ihre Anfrage „{{ticket.title}}“ wurde als Ticket {{ticket.number}} erfasst. Antworten Sie auf diese E-Mail, um etwas zu ergänzen; lassen Sie die Ticketnummer im Betreff stehen.',
  },
  ru: {
    subject: 'Мы получили ваш запрос: {{ticket.title}}',
    body: 'Здравствуйте, {{customer.name}}!\n\nСпасибо, что обратились в {{tenant.name}}. Ваш запрос «{{ticket.title}}» зарегистрирован как заявка {{ticket.number}}. Чтобы что-то добавить, ответьте на это письмо; номер заявки в теме оставьте без изменений.',
  },
  ro: {
    subject: 'Am primit solicitarea dvs.: {{ticket.title}}',
    body: 'Bună ziua, {{customer.name}},\n\nvă mulțumim că ați contactat {{tenant.name}}. Solicitarea dvs. „{{ticket.title}}” a fost înregistrată ca tichetul {{ticket.number}}. Răspundeți la acest e-mail pentru a adăuga ceva; păstrați numărul tichetului în subiect.',
  },
};

export function guestReceiptTemplate(locale: MailLocale): Text {
  return RECEIPTS[locale];
}
